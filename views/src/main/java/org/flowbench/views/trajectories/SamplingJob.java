package org.flowbench.views.trajectories;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.views.jobs.JobContext;

import java.util.List;

/**
 * The lab's sampling job as a plain function: both panels' models on the device jobs use now
 * (a model still living on another device, after the user switched, is first copied there; the
 * copies replace the originals when the job succeeds), sampled on the same noise.
 */
final class SamplingJob {

    /**
     * @param sampled  the models the job was given
     * @param used     the models it sampled (copies on the job's device where it moved them)
     * @param sampling runs, target, BOSS plans and fitted view
     * @param device   the device's name
     */
    record Result(LoadedFlow[] sampled, LoadedFlow[] used, SameNoiseSampling.Result sampling, String device) {

        /** The status line: each panel's straightness and NFE, and the device. */
        String summary() {
            FlowRun a = sampling.runs().get(0);
            FlowRun b = sampling.runs().get(1);
            return String.format(java.util.Locale.ROOT, "%s: straightness %.4f, %d NFE  |  %s: straightness %.4f, %d NFE  |  on %s",
                    a.label(), a.straightness(), a.totalNfe(), b.label(), b.straightness(), b.totalNfe(), device);
        }
    }

    private SamplingJob() {
    }

    static Result run(ModelSlots slots, LoadedFlow[] models, SamplingSettings settings, JobContext ctx) throws Exception {
        return slots.onDevice(on -> {
            LoadedFlow[] used = models.clone();
            try {
                SameNoiseSampling.Result sampling = slots.withModels(() -> {
                    moveTo(slots, on, used, ctx);
                    return SameNoiseSampling.sample(List.of(used), settings, ctx::isCancelled, (done, total, what) -> {
                        ctx.message(what);
                        ctx.progress(done, total);
                    });
                });
                return new Result(models, used, sampling, on.name());
            } catch (Exception | Error e) {
                for (int p = 0; p < used.length; p++) {
                    if (used[p] != models[p]) {
                        slots.free(used[p]);
                    }
                }
                throw e;
            }
        });
    }

    private static void moveTo(ModelSlots slots, ComputeDevice on, LoadedFlow[] used, JobContext ctx) {
        for (int p = 0; p < used.length; p++) {
            if (used[p].model().device() != on) {
                ctx.message("moving " + used[p].label() + " to " + on.name());
                used[p] = slots.moved(used[p], on);
            }
        }
    }
}
