package org.flowbench.views.norm;

import java.util.Locale;

/** What the Norm layers page shows. */
enum NormLayersView implements PlaygroundView {
    AXES("Axes", "which axes of the [N, C, H*W] input the layer normalises over"),
    HISTOGRAMS("Histograms", "input and output values of four channels of the last batch"),
    FLUCTUATION("Fluctuation", "the statistic each batch brings, the one the layer divides by, and the running one"),
    RUNNING("Running vs batch", "batch against running statistics per channel, and train against eval output"),
    FOLDING("Folding", "inference folded into the dense layer before the norm against dense + norm");

    private final String label;
    private final String help;

    NormLayersView(String label, String help) {
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
        return name().toLowerCase(Locale.ROOT);
    }

    static NormLayersView byId(String id) {
        String key = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (NormLayersView v : values()) {
            if (v.id().equals(key)) {
                return v;
            }
        }
        if (key.equals("running-vs-batch") || key.equals("mismatch")) {
            return RUNNING;
        }
        throw new IllegalArgumentException("unknown view '" + id + "'; choose axes, histograms, fluctuation, running or folding");
    }
}
