package org.flowbench.views.norm;

import java.util.Locale;

/** What the Scale invariance page shows. */
enum ScaleInvarianceView implements PlaygroundView {
    PATH("Path", "the weight's path in the plane under each optimizer, and the loss"),
    NORM("Norm and step", "||w|| and the effective step lr / ||w||^2 over the steps"),
    BN_ONLY("BatchNorm only", "a random network trained in BatchNorm's gamma and beta only, against the same network frozen");

    private final String label;
    private final String help;

    ScaleInvarianceView(String label, String help) {
        this.label = label;
        this.help = help;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static ScaleInvarianceView byId(String id) {
        String key = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (ScaleInvarianceView v : values()) {
            if (v.id().equals(key)) {
                return v;
            }
        }
        if (key.equals("bn") || key.equals("batchnorm")) {
            return BN_ONLY;
        }
        throw new IllegalArgumentException("unknown view '" + id + "'; choose path, norm or bn-only");
    }
}
