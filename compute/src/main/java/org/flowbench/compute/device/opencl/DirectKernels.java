package org.flowbench.compute.device.opencl;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_device_id;
import org.bytedeco.opencl._cl_event;
import org.bytedeco.opencl._cl_kernel;
import org.bytedeco.opencl._cl_mem;
import org.bytedeco.opencl._cl_platform_id;
import org.bytedeco.opencl._cl_program;
import org.bytedeco.opencl.Pfn_notify_String_Pointer_long_Pointer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.opencl.global.OpenCL.*;

/**
 * {@link DeviceKernel}'s ops compiled from OpenCL C (the {@code kernels/*.cl} resources), each op its
 * own kernel, and launched through OpenCL's C API on an in-order queue without waiting: the
 * device waits only when data comes back to the host. Aparapi, by contrast, finishes every launch
 * before the next (30-44 us each on an H200, half of a training step's time) and compiles every op
 * into one kernel whose registers are set by its largest branch.
 *
 * <p>The memory pool is one OpenCL buffer; ops take the same arguments as {@link DeviceKernel}'s
 * fields, packed into the {@code Args} struct of {@code common.cl}. Not thread-safe: {@link
 * OpenClDevice} calls it under its lock.
 */
final class DirectKernels implements AutoCloseable {

    /** The program's source files, in order. */
    static final List<String> SOURCES = List.of("common.cl", "elementwise.cl", "products.cl", "rows.cl",
            "channels.cl", "transformer.cl");
    /** Bytes of the {@code Args} struct: 34 fields of 4 bytes. */
    static final int ARGS_BYTES = 34 * 4;
    /** Largest op code. */
    static final int MAX_OP = 255;
    /** Floats per chunk of a transfer through the native staging block. */
    static final int STAGE_FLOATS = 1 << 22;
    /** Most launches whose events a kernel profile holds before it waits for them and reads their times. */
    static final int PROFILE_PENDING = 4096;

    private final String name;
    private final _cl_device_id device;
    private final _cl_context context;
    private final _cl_command_queue queue;
    private final _cl_program program;
    private final _cl_kernel[] kernels = new _cl_kernel[MAX_OP + 1];
    /** Each op's kernel name ({@code op_<code>_<name>}), for profiles. */
    private final String[] kernelNames = new String[MAX_OP + 1];
    /** Whether the queue records each command's start and end ({@code CL_QUEUE_PROFILING_ENABLE}). */
    private final boolean profiling;
    /** Whether launches are being recorded into a kernel profile now. */
    private boolean recording;
    private final PointerPointer<_cl_event> eventOut = new PointerPointer<>(1);
    private final List<_cl_event> pendingEvents = new ArrayList<>();
    private final List<Integer> pendingOps = new ArrayList<>();
    private final long[] profiledLaunches = new long[MAX_OP + 1];
    private final long[] profiledNanos = new long[MAX_OP + 1];
    private final BytePointer args = new BytePointer(ARGS_BYTES);
    private final PointerPointer<_cl_mem> memArgument = new PointerPointer<>(1);
    private final SizeTPointer globalSize = new SizeTPointer(1);
    private final SizeTPointer localSize = new SizeTPointer(1);
    /** Bytes of a cl_mem handle, the pool argument's size (read once OpenCL's natives are loaded). */
    private final long handleBytes = Loader.sizeof(Pointer.class);
    private FloatPointer stage;
    private _cl_mem pool;
    private long poolFloats;
    private boolean closed;

    private DirectKernels(String name, _cl_device_id device, _cl_context context, _cl_command_queue queue,
                          _cl_program program, boolean profiling) {
        this.name = name;
        this.profiling = profiling;
        this.device = device;
        this.context = context;
        this.queue = queue;
        this.program = program;
    }

    /**
     * Opens the OpenCL device whose platform and device names are {@code platformName} and
     * {@code deviceName} (the {@code ordinal}-th of that name on that platform), builds the program
     * and creates a pool of {@code poolFloats} floats.
     *
     * @throws DirectKernelsException naming what failed: no such device, a build error with the first
     *                                lines of the compiler's log, an allocation
     */
    static DirectKernels open(String name, String platformName, String deviceName, int ordinal, long poolFloats) {
        return open(name, platformName, deviceName, ordinal, poolFloats, source(), false);
    }

    /**
     * {@link #open(String, String, String, int, long)} with the program's source given; {@code
     * profiling} makes a queue that records each launch's start and end, for {@link #startProfile()}.
     */
    static DirectKernels open(String name, String platformName, String deviceName, int ordinal, long poolFloats,
                              String source, boolean profiling) {
        _cl_device_id device = findDevice(platformName, deviceName, ordinal);
        IntPointer err = new IntPointer(1);
        _cl_context context = clCreateContext(null, 1, device, (Pfn_notify_String_Pointer_long_Pointer) null, null, err);
        check(err.get(), "creating a context");
        _cl_command_queue queue = clCreateCommandQueue(context, device, profiling ? CL_QUEUE_PROFILING_ENABLE : 0, err);
        if (err.get() != CL_SUCCESS) {
            clReleaseContext(context);
            check(err.get(), "creating a command queue");
        }
        _cl_program program;
        try {
            program = build(context, device, source);
        } catch (DirectKernelsException e) {
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            throw e;
        }
        DirectKernels direct = new DirectKernels(name, device, context, queue, program, profiling);
        try {
            direct.collectKernels();
            direct.pool = direct.createBuffer(poolFloats);
            direct.poolFloats = poolFloats;
            direct.bindPool();
        } catch (DirectKernelsException e) {
            direct.close();
            throw e;
        }
        return direct;
    }

    /** The program's OpenCL C source: the resources of {@link #SOURCES}, concatenated. */
    static String source() {
        StringBuilder all = new StringBuilder();
        for (String file : SOURCES) {
            try (InputStream in = DirectKernels.class.getResourceAsStream("kernels/" + file)) {
                if (in == null) {
                    throw new DirectKernelsException("the kernel source " + file + " is missing from the build");
                }
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new DirectKernelsException("cannot read the kernel source " + file + ": " + e.getMessage());
            }
        }
        return all.toString();
    }

    private static _cl_device_id findDevice(String platformName, String deviceName, int ordinal) {
        IntPointer count = new IntPointer(1);
        int status = clGetPlatformIDs(0, (PointerPointer<?>) null, count);
        if (status != CL_SUCCESS || count.get() == 0) {
            throw new DirectKernelsException("OpenCL's ICD loader found no platform (" + errorName(status) + ")");
        }
        PointerPointer<_cl_platform_id> platforms = new PointerPointer<>(count.get());
        check(clGetPlatformIDs(count.get(), platforms, (IntPointer) null), "listing platforms");
        List<String> seen = new ArrayList<>();
        for (int p = 0; p < count.get(); p++) {
            _cl_platform_id platform = new _cl_platform_id(platforms.get(p));
            String pname = queryString((size, value, sizeOut) -> clGetPlatformInfo(platform, CL_PLATFORM_NAME, size,
                    value, sizeOut), "reading a platform's name");
            IntPointer devices = new IntPointer(1);
            if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, (PointerPointer<?>) null, devices) != CL_SUCCESS) {
                continue;
            }
            PointerPointer<_cl_device_id> ids = new PointerPointer<>(devices.get());
            check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.get(), ids, (IntPointer) null), "listing devices");
            int sameName = 0;
            for (int d = 0; d < devices.get(); d++) {
                _cl_device_id id = new _cl_device_id(ids.get(d));
                String dname = queryString((size, value, sizeOut) -> clGetDeviceInfo(id, CL_DEVICE_NAME, size, value,
                        sizeOut), "reading a device's name");
                seen.add(dname.strip() + " (" + pname.strip() + ")");
                if (pname.strip().equals(platformName.strip()) && dname.strip().equals(deviceName.strip())) {
                    if (sameName++ == ordinal) {
                        return id;
                    }
                }
            }
        }
        throw new DirectKernelsException("OpenCL's ICD loader did not list " + deviceName.strip() + " ("
                + platformName.strip() + "); it listed " + (seen.isEmpty() ? "nothing" : String.join(", ", seen)));
    }

    /** One of OpenCL's string queries: called for the size first, then for the bytes. */
    @FunctionalInterface
    private interface StringQuery {
        int get(long size, Pointer value, SizeTPointer sizeOut);
    }

    /** The string a query returns, trimmed; a failed call is a {@link DirectKernelsException} naming {@code what}. */
    private static String queryString(StringQuery query, String what) {
        SizeTPointer size = new SizeTPointer(1);
        check(query.get(0, null, size), what);
        BytePointer text = new BytePointer(Math.max(1, size.get()));
        check(query.get(size.get(), text, null), what);
        return text.getString(StandardCharsets.UTF_8).trim();
    }

    private static _cl_program build(_cl_context context, _cl_device_id device, String source) {
        IntPointer err = new IntPointer(1);
        _cl_program program = clCreateProgramWithSource(context, 1, new PointerPointer<>(source), null, err);
        check(err.get(), "creating the program");
        int status = clBuildProgram(program, 1, device, "-cl-std=CL1.2", null, null);
        if (status != CL_SUCCESS) {
            String log = buildLog(program, device);
            clReleaseProgram(program);
            throw new DirectKernelsException("the OpenCL kernels failed to compile (" + errorName(status) + "): "
                    + firstLines(log, 6));
        }
        return program;
    }

    private static String buildLog(_cl_program program, _cl_device_id device) {
        try {
            return queryString((size, value, sizeOut) -> clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG,
                    size, value, sizeOut), "reading the build log");
        } catch (DirectKernelsException e) {
            return "no build log";
        }
    }

    private static String firstLines(String text, int lines) {
        String[] all = text.split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(lines, all.length); i++) {
            out.append(i == 0 ? "" : " | ").append(all[i].strip());
        }
        return out.toString();
    }

    /** Creates every kernel of the program and files it under the op code in its name ({@code op_<code>_...}). */
    private void collectKernels() {
        IntPointer count = new IntPointer(1);
        check(clCreateKernelsInProgram(program, 0, (PointerPointer<?>) null, count), "counting kernels");
        PointerPointer<_cl_kernel> all = new PointerPointer<>(count.get());
        check(clCreateKernelsInProgram(program, count.get(), all, (IntPointer) null), "creating kernels");
        for (int i = 0; i < count.get(); i++) {
            _cl_kernel k = new _cl_kernel(all.get(i));
            String kernelName = queryString((size, value, sizeOut) -> clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, size,
                    value, sizeOut), "reading a kernel's name");
            int code = opCode(kernelName);
            if (code < 0 || kernels[code] != null) {
                clReleaseKernel(k);
                throw new DirectKernelsException("kernel " + kernelName
                        + (code < 0 ? " is not named op_<code>_<name>" : " repeats op " + code));
            }
            kernels[code] = k;
            kernelNames[code] = kernelName;
        }
    }

    /** The op code in a kernel's name {@code op_<code>_<name>}, or -1. */
    static int opCode(String kernelName) {
        if (!kernelName.startsWith("op_")) {
            return -1;
        }
        int end = kernelName.indexOf('_', 3);
        if (end <= 3) {
            return -1;
        }
        try {
            int code = Integer.parseInt(kernelName.substring(3, end));
            return code >= 0 && code <= MAX_OP ? code : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the program has a kernel for {@code op}. */
    boolean has(int op) {
        return op >= 0 && op <= MAX_OP && kernels[op] != null;
    }

    /** The op codes the program has, in order. */
    List<Integer> ops() {
        List<Integer> ops = new ArrayList<>();
        for (int op = 0; op <= MAX_OP; op++) {
            if (kernels[op] != null) {
                ops.add(op);
            }
        }
        return ops;
    }

    /** The largest work-group the kernel of {@code op} allows on this device. */
    long maxWorkGroup(int op) {
        SizeTPointer size = new SizeTPointer(1);
        check(clGetKernelWorkGroupInfo(kernel(op), device, CL_KERNEL_WORK_GROUP_SIZE, Loader.sizeof(SizeTPointer.class),
                size, null), "reading a kernel's work-group limit");
        return size.get();
    }

    /**
     * Makes the pool every kernel's first argument. OpenCL keeps a kernel's arguments between
     * launches, so this runs when the pool is created or replaced, not at every launch.
     */
    private void bindPool() {
        memArgument.put(0, pool);
        for (int op = 0; op <= MAX_OP; op++) {
            if (kernels[op] != null) {
                check(clSetKernelArg(kernels[op], 0, handleBytes, memArgument), "setting op " + op + "'s pool");
            }
        }
    }

    /** Private and local bytes the kernel of {@code op} uses per item and per group. */
    long[] memoryUse(int op) {
        return new long[] {kernelULong(op, CL_KERNEL_PRIVATE_MEM_SIZE), kernelULong(op, CL_KERNEL_LOCAL_MEM_SIZE)};
    }

    private long kernelULong(int op, int what) {
        LongPointer value = new LongPointer(1);
        check(clGetKernelWorkGroupInfo(kernel(op), device, what, Long.BYTES, value, null), "reading a kernel's memory use");
        return value.get();
    }

    private _cl_kernel kernel(int op) {
        if (!has(op)) {
            throw new DirectKernelsException("the OpenCL program has no kernel for op " + op);
        }
        return kernels[op];
    }

    /**
     * Enqueues {@code op} over {@code global} work items in groups of {@code local}, with the
     * arguments of {@code fields}; returns at once.
     */
    void launch(int op, long global, int local, DeviceKernel fields) {
        _cl_kernel k = kernel(op);
        pack(fields);
        check(clSetKernelArg(k, 1, ARGS_BYTES, args), "setting op " + op + "'s arguments");
        globalSize.put(0, global);
        localSize.put(0, local);
        if (!recording) {
            check(clEnqueueNDRangeKernel(queue, k, 1, null, globalSize, localSize, 0, (PointerPointer<?>) null,
                    (PointerPointer<?>) null), "launching op " + op);
            return;
        }
        check(clEnqueueNDRangeKernel(queue, k, 1, null, globalSize, localSize, 0, (PointerPointer<?>) null, eventOut),
                "launching op " + op);
        pendingEvents.add(new _cl_event(eventOut.get(0)));
        pendingOps.add(op);
        if (pendingEvents.size() >= PROFILE_PENDING) {
            readPendingEvents();
        }
    }

    /** Whether the queue records launch times ({@link #startProfile()} works). */
    boolean profiling() {
        return profiling;
    }

    /**
     * Starts recording the device time of every launch from now on, after the ops queued before
     * have run. Recording waits for the device every {@link #PROFILE_PENDING} launches.
     *
     * @throws IllegalStateException when the launcher was opened without profiling
     */
    void startProfile() {
        if (!profiling) {
            throw new IllegalStateException("kernel profiles need the launcher opened with profiling");
        }
        finish();
        Arrays.fill(profiledLaunches, 0);
        Arrays.fill(profiledNanos, 0);
        recording = true;
    }

    /** Stops recording; waits for the recorded launches and returns each kernel's launches and device time. */
    KernelProfile stopProfile() {
        if (!recording) {
            throw new IllegalStateException("no kernel profile is being recorded");
        }
        try {
            readPendingEvents();
        } finally {
            recording = false;
        }
        List<KernelProfile.Kernel> kernelTimes = new ArrayList<>();
        for (int op = 0; op <= MAX_OP; op++) {
            if (profiledLaunches[op] > 0) {
                kernelTimes.add(new KernelProfile.Kernel(kernelNames[op], profiledLaunches[op], profiledNanos[op]));
            }
        }
        return new KernelProfile(kernelTimes);
    }

    /** Stops recording without reading the recorded launches (the profiled work failed). */
    void abandonProfile() {
        recording = false;
        releasePendingEvents();
    }

    /**
     * Waits for the pending launches and adds each one's time from start to end to its op's total;
     * the events are released whether or not that succeeds.
     */
    private void readPendingEvents() {
        LongPointer start = new LongPointer(1);
        LongPointer end = new LongPointer(1);
        try {
            finish();
            for (int i = 0; i < pendingEvents.size(); i++) {
                _cl_event event = pendingEvents.get(i);
                check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, Long.BYTES, start, null),
                        "reading a launch's start time");
                check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, Long.BYTES, end, null),
                        "reading a launch's end time");
                int op = pendingOps.get(i);
                profiledLaunches[op]++;
                profiledNanos[op] += Math.max(0, end.get() - start.get());
            }
        } finally {
            releasePendingEvents();
            start.close();
            end.close();
        }
    }

    private void releasePendingEvents() {
        for (_cl_event event : pendingEvents) {
            clReleaseEvent(event);
        }
        pendingEvents.clear();
        pendingOps.clear();
    }

    /** Packs DeviceKernel's argument fields in the order of {@code common.cl}'s Args (34 fields of 4 bytes). */
    private void pack(DeviceKernel f) {
        int at = 0;
        at = putInt(at, f.n);
        at = putInt(at, f.a0);
        at = putInt(at, f.a1);
        at = putInt(at, f.a2);
        at = putInt(at, f.a3);
        at = putInt(at, f.a4);
        at = putInt(at, f.a5);
        at = putInt(at, f.a6);
        at = putInt(at, f.a7);
        at = putInt(at, f.a8);
        at = putInt(at, f.s0);
        at = putInt(at, f.s1);
        at = putInt(at, f.s2);
        at = putInt(at, f.s3);
        at = putFloat(at, f.f0);
        at = putFloat(at, f.f1);
        at = putFloat(at, f.f2);
        at = putFloat(at, f.f3);
        at = putFloat(at, f.f4);
        at = putFloat(at, f.f5);
        at = putFloat(at, f.f6);
        at = putInt(at, f.gemmM);
        at = putInt(at, f.gemmN);
        at = putInt(at, f.gemmK);
        at = putInt(at, f.gemmTilesN);
        at = putInt(at, f.gemmTilesPerBatch);
        at = putInt(at, f.gemmAi);
        at = putInt(at, f.gemmAp);
        at = putInt(at, f.gemmBp);
        at = putInt(at, f.gemmBj);
        at = putInt(at, f.gemmBatchA);
        at = putInt(at, f.gemmBatchB);
        at = putInt(at, f.gemmOnesRow);
        at = putInt(at, f.gemmOnesOut);
        assert at == ARGS_BYTES;
    }

    private int putInt(int at, int value) {
        args.putInt(at, value);
        return at + 4;
    }

    private int putFloat(int at, float value) {
        args.putFloat(at, value);
        return at + 4;
    }

    /** Writes {@code length} floats of {@code src} to the pool at {@code poolOffset}; returns when written. */
    void upload(float[] src, int srcOffset, long poolOffset, int length) {
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, STAGE_FLOATS);
            FloatPointer s = stage(chunk);
            s.put(src, srcOffset + done, chunk);
            check(clEnqueueWriteBuffer(queue, pool, CL_TRUE, (poolOffset + done) * Float.BYTES, (long) chunk * Float.BYTES,
                    s, 0, (PointerPointer<?>) null, (PointerPointer<?>) null), "writing to the device");
            done += chunk;
        }
    }

    /** Reads {@code length} floats of the pool at {@code poolOffset}, after every op enqueued before. */
    void download(long poolOffset, float[] dst, int dstOffset, int length) {
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, STAGE_FLOATS);
            FloatPointer s = stage(chunk);
            check(clEnqueueReadBuffer(queue, pool, CL_TRUE, (poolOffset + done) * Float.BYTES, (long) chunk * Float.BYTES,
                    s, 0, (PointerPointer<?>) null, (PointerPointer<?>) null), "reading from the device");
            s.get(dst, dstOffset + done, chunk);
            done += chunk;
        }
    }

    private FloatPointer stage(int floats) {
        if (stage == null || stage.capacity() < floats) {
            if (stage != null) {
                stage.close();
            }
            stage = new FloatPointer(Math.max(floats, 1 << 16));
        }
        return stage;
    }

    /** Waits for every enqueued op; a failure of one of them shows here. */
    void finish() {
        check(clFinish(queue), "finishing the queued ops");
    }

    /**
     * Moves the pool to a buffer of {@code floats} floats, its contents copied on the device.
     *
     * @throws DirectKernelsException with {@link DirectKernelsException#outOfMemory()} true when
     *                                the device cannot allocate it (the old pool is then intact)
     */
    void growPool(long floats) {
        _cl_mem bigger = createBuffer(floats);
        int status = clEnqueueCopyBuffer(queue, pool, bigger, 0, 0, poolFloats * Float.BYTES, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null);
        if (status == CL_SUCCESS) {
            status = clFinish(queue);
        }
        if (status != CL_SUCCESS) {
            clReleaseMemObject(bigger);
            throw new DirectKernelsException("copying the pool into a larger buffer failed (" + errorName(status) + ")",
                    isOutOfMemory(status));
        }
        clReleaseMemObject(pool);
        pool = bigger;
        poolFloats = floats;
        bindPool();
    }

    private _cl_mem createBuffer(long floats) {
        IntPointer err = new IntPointer(1);
        _cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, floats * Float.BYTES, null, err);
        if (err.get() != CL_SUCCESS) {
            throw new DirectKernelsException(String.format(Locale.ROOT, "allocating %d MiB on the device failed (%s)",
                    floats * Float.BYTES >> 20, errorName(err.get())), isOutOfMemory(err.get()));
        }
        return buffer;
    }

    private static boolean isOutOfMemory(int status) {
        return status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
                || status == CL_OUT_OF_HOST_MEMORY || status == CL_INVALID_BUFFER_SIZE;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clFinish(queue);
        releasePendingEvents();
        for (int op = 0; op <= MAX_OP; op++) {
            if (kernels[op] != null) {
                clReleaseKernel(kernels[op]);
                kernels[op] = null;
            }
        }
        if (pool != null) {
            clReleaseMemObject(pool);
        }
        clReleaseProgram(program);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
        if (stage != null) {
            stage.close();
        }
        args.close();
        eventOut.close();
    }

    private static void check(int status, String what) {
        if (status != CL_SUCCESS) {
            throw new DirectKernelsException(what + " failed (" + errorName(status) + ")", isOutOfMemory(status));
        }
    }

    /** An OpenCL status code by its name in cl.h, for messages. */
    static String errorName(int status) {
        switch (status) {
            case CL_SUCCESS: return "CL_SUCCESS";
            case CL_DEVICE_NOT_FOUND: return "CL_DEVICE_NOT_FOUND";
            case CL_DEVICE_NOT_AVAILABLE: return "CL_DEVICE_NOT_AVAILABLE";
            case CL_COMPILER_NOT_AVAILABLE: return "CL_COMPILER_NOT_AVAILABLE";
            case CL_MEM_OBJECT_ALLOCATION_FAILURE: return "CL_MEM_OBJECT_ALLOCATION_FAILURE";
            case CL_OUT_OF_RESOURCES: return "CL_OUT_OF_RESOURCES";
            case CL_OUT_OF_HOST_MEMORY: return "CL_OUT_OF_HOST_MEMORY";
            case CL_BUILD_PROGRAM_FAILURE: return "CL_BUILD_PROGRAM_FAILURE";
            case CL_INVALID_VALUE: return "CL_INVALID_VALUE";
            case CL_INVALID_PLATFORM: return "CL_INVALID_PLATFORM";
            case CL_INVALID_DEVICE: return "CL_INVALID_DEVICE";
            case CL_INVALID_CONTEXT: return "CL_INVALID_CONTEXT";
            case CL_INVALID_COMMAND_QUEUE: return "CL_INVALID_COMMAND_QUEUE";
            case CL_INVALID_MEM_OBJECT: return "CL_INVALID_MEM_OBJECT";
            case CL_INVALID_PROGRAM_EXECUTABLE: return "CL_INVALID_PROGRAM_EXECUTABLE";
            case CL_INVALID_KERNEL: return "CL_INVALID_KERNEL";
            case CL_INVALID_ARG_INDEX: return "CL_INVALID_ARG_INDEX";
            case CL_INVALID_ARG_VALUE: return "CL_INVALID_ARG_VALUE";
            case CL_INVALID_ARG_SIZE: return "CL_INVALID_ARG_SIZE";
            case CL_INVALID_KERNEL_ARGS: return "CL_INVALID_KERNEL_ARGS";
            case CL_INVALID_WORK_GROUP_SIZE: return "CL_INVALID_WORK_GROUP_SIZE";
            case CL_INVALID_WORK_ITEM_SIZE: return "CL_INVALID_WORK_ITEM_SIZE";
            case CL_INVALID_GLOBAL_WORK_SIZE: return "CL_INVALID_GLOBAL_WORK_SIZE";
            case CL_INVALID_BUFFER_SIZE: return "CL_INVALID_BUFFER_SIZE";
            case CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST: return "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST";
            case -1001: return "CL_PLATFORM_NOT_FOUND_KHR (no OpenCL driver registered)";
            default: return "OpenCL error " + status;
        }
    }

    /** A failure of the direct launcher, in one line; {@link #outOfMemory()} when the device ran out of memory. */
    static final class DirectKernelsException extends RuntimeException {
        private final boolean outOfMemory;

        DirectKernelsException(String message) {
            this(message, false);
        }

        DirectKernelsException(String message, boolean outOfMemory) {
            super(message);
            this.outOfMemory = outOfMemory;
        }

        boolean outOfMemory() {
            return outOfMemory;
        }
    }
}
