package org.flowbench.views.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundInput;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureSpec.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * The Norm layers page's figures as {@code flowbench export} draws them: each runs the
 * playground on the cpu device with the given keys ({@code layer, preset, micro, batches, groups,
 * channel, seed}) and paints one view.
 */
public final class NormLayersFigures {

    private NormLayersFigures() {
    }

    /** The figure names, one per view: {@code norm-layers-axes}, ... */
    static String name(NormLayersView view) {
        return "norm-layers-" + view.id();
    }

    public static List<FigureSpec> specs() {
        List<FigureSpec> specs = new ArrayList<>();
        for (NormLayersView view : NormLayersView.values()) {
            String layer = view == NormLayersView.FOLDING ? "unified" : "batchnorm";
            String preset = view == NormLayersView.FLUCTUATION ? "tokens" : view == NormLayersView.RUNNING ? "micro" : "image";
            specs.add(new FigureSpec(name(view), "Norm layers: " + view.help(),
                    NormLayersFigure.PREFERRED_WIDTH, NormLayersFigure.PREFERRED_HEIGHT,
                    List.of(new Parameter("layer", layer, "batchnorm, groupnorm, layernorm, rmsnorm, powernorm, unified, "
                                    + "evonorm-b0, evonorm-s0, batch-channel or weight-standardization"),
                            new Parameter("preset", preset, "image, tokens or micro"),
                            new Parameter("micro", "1", "images per batch of the micro preset, 1 to "
                                    + PlaygroundInput.MAX_MICRO_BATCH),
                            new Parameter("batches", "100", "training batches run, " + NormPlayground.MIN_BATCHES + " to "
                                    + NormPlayground.MAX_BATCHES),
                            new Parameter("groups", "4", "channel groups of GroupNorm, EvoNorm-S0, Batch-Channel Norm"),
                            new Parameter("channel", "3", "the channel shown first")),
                    (v, theme) -> {
                        NormPlayground.Settings s = new NormPlayground.Settings(PlaygroundInput.byId(v.text("preset")),
                                v.integer("micro", 1, PlaygroundInput.MAX_MICRO_BATCH), PlaygroundLayer.byId(v.text("layer")),
                                v.integer("batches", NormPlayground.MIN_BATCHES, NormPlayground.MAX_BATCHES),
                                v.integer("groups", 1, 64), v.integer("channel", 0, 63), v.seed());
                        try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
                            return new NormLayersFigure(NormPlayground.run(device, s, null, null), view, theme);
                        }
                    }));
        }
        return List.copyOf(specs);
    }
}
