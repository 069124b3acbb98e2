package org.flowbench.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules of ARCHITECTURE.md, checked on the main classes of all three modules: compute
 * knows no JavaFX and no view; the kit (views figure, lab, params, jobs, device) and the shared
 * math know no lab; labs never import each other.
 */
class ArchitectureTest {

    /** Packages of views and compute that are shared, not a lab's. */
    static final Set<String> SHARED_VIEWS = Set.of("figure", "lab", "params", "jobs", "device");
    static final Set<String> SHARED_COMPUTE = Set.of("device", "nn", "checkpoint", "data", "ode", "ot", "io");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // Test classes stay out, also those the app's tests read from the views test jar.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages("org.flowbench");
    }

    @Test
    void computeImportsNoJavaFxAndNoView() {
        ArchRule rule = noClasses().that().resideInAPackage("org.flowbench.compute..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.flowbench.views..", "org.flowbench.app..");
        rule.check(classes);
    }

    @Test
    void viewsImportNoApp() {
        noClasses().that().resideInAPackage("org.flowbench.views..")
                .should().dependOnClassesThat().resideInAPackage("org.flowbench.app..")
                .check(classes);
    }

    @Test
    void theKitImportsNoLab() {
        for (String kit : SHARED_VIEWS) {
            noClasses().that().resideInAPackage("org.flowbench.views." + kit + "..")
                    .should().dependOnClassesThat(new LabPackage("org.flowbench.views.", SHARED_VIEWS))
                    .because("the kit serves every lab and knows none")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void theSharedMathImportsNoLabsMath() {
        for (String shared : SHARED_COMPUTE) {
            noClasses().that().resideInAPackage("org.flowbench.compute." + shared + "..")
                    .should().dependOnClassesThat(new LabPackage("org.flowbench.compute.", SHARED_COMPUTE))
                    .because("a lab's math builds on the shared math, never the other way")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void labsNeverImportEachOther() {
        slices().assignedFrom(labsOf("org.flowbench.views.", SHARED_VIEWS)).should().notDependOnEachOther().check(classes);
        slices().assignedFrom(labsOf("org.flowbench.app.cli.", Set.of())).should().notDependOnEachOther()
                .allowEmptyShould(true).check(classes);
    }

    /** One slice per lab package directly under {@code prefix} (shared packages excepted). */
    private static SliceAssignment labsOf(String prefix, Set<String> shared) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(com.tngtech.archunit.core.domain.JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (!name.startsWith(prefix)) {
                    return SliceIdentifier.ignore();
                }
                String lab = name.substring(prefix.length()).split("\\.")[0];
                return shared.contains(lab) || lab.isEmpty() ? SliceIdentifier.ignore() : SliceIdentifier.of(lab);
            }

            @Override
            public String getDescription() {
                return "labs under " + prefix;
            }
        };
    }

    /** A class in a lab's package under {@code prefix}: any sub-package that is not shared. */
    private static final class LabPackage extends com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> {
        private final String prefix;
        private final Set<String> shared;

        LabPackage(String prefix, Set<String> shared) {
            super("a class of a lab's package under " + prefix);
            this.prefix = prefix;
            this.shared = shared;
        }

        @Override
        public boolean test(com.tngtech.archunit.core.domain.JavaClass c) {
            String name = c.getPackageName();
            if (!name.startsWith(prefix)) {
                return false;
            }
            String first = name.substring(prefix.length()).split("\\.")[0];
            return !first.isEmpty() && !shared.contains(first);
        }
    }
}
