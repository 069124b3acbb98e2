package org.flowbench.views.trajectories;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.nn.FlowModelFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The lab's checkpoint jobs as plain functions: load onto the jobs' device, save under the model lock. */
final class CheckpointJobs {

    private CheckpointJobs() {
    }

    /** Both panels' models, or neither (a bad second file frees the first). */
    static LoadedFlow[] loadBoth(ModelSlots slots, Path left, Path right) throws Exception {
        return slots.onDevice(on -> {
            LoadedFlow a = slots.held(LoadedFlow.load(on, left));
            try {
                return new LoadedFlow[] {a, slots.held(LoadedFlow.load(on, right))};
            } catch (Exception e) {
                slots.free(a);
                throw e;
            }
        });
    }

    static LoadedFlow load(ModelSlots slots, Path file) throws Exception {
        return slots.onDevice(on -> slots.held(LoadedFlow.load(on, file)));
    }

    /** Writes {@code flow} with its record (the format keys are written anew). */
    static Path save(ModelSlots slots, LoadedFlow flow, Path file) throws Exception {
        float[] values = slots.withModels(() -> flow.model().parameterValues());
        Map<String, String> record = new TreeMap<>(flow.metadata());
        List.of(Checkpoint.KEY_FORMAT, Checkpoint.KEY_FORMAT_VERSION, Checkpoint.KEY_KIND, Checkpoint.KEY_ARCHITECTURE)
                .forEach(record::remove);
        FlowModelFile.save(file, flow.model().architecture(), values,
                flow.oneStep() ? FlowModelFile.KIND_ONE_STEP : FlowModelFile.KIND_VELOCITY, record);
        return file;
    }
}
