package org.flowbench.views.poincare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session keeps of the Poincaré lab beyond its parameters: the view's Möbius matrix,
 * the selected node (by name), the ruler's ends, the tab on show and the embedding file opened
 * (relative to the session's folder). Malformed entries are skipped and named.
 */
final class PoincareSession {

    static final String VIEW = "view";
    static final String SELECTED = "selected";
    static final String RULER = "ruler";
    static final String PANEL = "panel";
    static final String OPENED = "embedding";
    private static final String PROBLEMS = "problems";

    private PoincareSession() {
    }

    static Map<String, Object> save(PoincareLab lab, Path folder) {
        Map<String, Object> out = new LinkedHashMap<>();
        DiscView v = lab.discView();
        out.put(VIEW, List.of(v.ar(), v.ai(), v.br(), v.bi()));
        Hierarchy h = lab.hierarchy();
        if (h != null && lab.selected() >= 0) {
            out.put(SELECTED, h.name(lab.selected()));
        }
        double[] ruler = lab.rulerPoints();
        if (ruler.length > 0) {
            List<Double> values = new ArrayList<>();
            for (double x : ruler) {
                values.add(x);
            }
            out.put(RULER, values);
        }
        out.put(PANEL, lab.panelProperty().get().name().toLowerCase(java.util.Locale.ROOT));
        Path file = lab.openedFile();
        if (file != null) {
            Path absolute = file.toAbsolutePath().normalize();
            out.put(OPENED, folder == null ? absolute.toString() : folder.toAbsolutePath().normalize().relativize(absolute).toString());
        }
        return out;
    }

    /** Typed entries: VIEW a DiscView, SELECTED a name, RULER a double[], PANEL a Panel, OPENED an existing Path. */
    static Map<String, Object> resolve(Map<String, Object> state, Path folder) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        double[] v = numbers(state.get(VIEW));
        if (v != null && v.length == 4) {
            try {
                out.put(VIEW, new DiscView(v[0], v[1], v[2], v[3]));
            } catch (IllegalArgumentException e) {
                problems.add("view skipped: " + e.getMessage());
            }
        } else if (state.containsKey(VIEW)) {
            problems.add("view skipped: it needs four numbers");
        }
        if (state.get(SELECTED) instanceof String s) {
            out.put(SELECTED, s);
        }
        double[] r = numbers(state.get(RULER));
        if (r != null && (r.length == 2 || r.length == 4) && inside(r)) {
            out.put(RULER, r);
        } else if (state.containsKey(RULER)) {
            problems.add("ruler skipped: it needs two or four coordinates inside the disc");
        }
        if (state.get(PANEL) instanceof String p) {
            for (PoincareLab.Panel panel : PoincareLab.Panel.values()) {
                if (panel.name().equalsIgnoreCase(p)) {
                    out.put(PANEL, panel);
                }
            }
        }
        if (state.get(OPENED) instanceof String f) {
            Path file = folder == null ? Path.of(f) : folder.resolve(f);
            if (Files.isRegularFile(file)) {
                out.put(OPENED, file);
            } else {
                problems.add("embedding " + file + " no longer exists");
            }
        }
        out.put(PROBLEMS, problems);
        return out;
    }

    /** Puts the resolved state into the lab; returns what was skipped. */
    static List<String> apply(Map<String, Object> state, PoincareLab lab) {
        @SuppressWarnings("unchecked")
        List<String> problems = new ArrayList<>((List<String>) state.getOrDefault(PROBLEMS, List.of()));
        if (state.get(PANEL) instanceof PoincareLab.Panel p) {
            lab.setPanel(p);
        }
        int node = -1;
        if (state.get(SELECTED) instanceof String name) {
            node = lab.hierarchy() == null ? -1 : lab.hierarchy().indexOf(name);
            if (node < 0) {
                problems.add("selected node '" + name + "' is not in the hierarchy");
            }
        }
        DiscView view = state.get(VIEW) instanceof DiscView v ? v : lab.discView();
        lab.restoreSelection(node, view);
        if (state.get(RULER) instanceof double[] r) {
            lab.restoreRuler(r);
        }
        return problems;
    }

    private static boolean inside(double[] r) {
        for (int i = 0; i < r.length; i += 2) {
            if (!(r[i] * r[i] + r[i + 1] * r[i + 1] < 1)) {
                return false;
            }
        }
        return true;
    }

    private static double[] numbers(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                return null;
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
