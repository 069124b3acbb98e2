package org.flowbench.compute.device.opencl;

import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;
import org.flowbench.compute.device.AbstractComputeDevice;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.Blocking;
import org.flowbench.compute.device.DeviceFailureException;
import org.flowbench.compute.device.DeviceInfo;
import org.flowbench.compute.device.DeviceKind;
import org.flowbench.compute.device.RowReduction;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * An {@code opencl:N} device: the primitives of {@link DeviceKernel} compiled by Aparapi for one
 * OpenCL device, on buffers that are ranges of one device-resident pool.
 *
 * <p>Aparapi quietly runs a kernel in a Java thread pool when OpenCL fails. This device never
 * lets that pass: the kernel is compiled when the device opens (a compile failure is a {@link
 * DeviceFailureException} there), and after every launch the device checks that Aparapi still
 * runs it on this OpenCL device; if not, the launch and every later call throw {@link
 * DeviceFailureException}. Running out of pool memory is reported before anything is lost.
 *
 * <p>Two launchers run the ops ({@link #LAUNCHER_PROPERTY}). The direct one ({@link
 * DirectKernels}, the default) compiles each op from OpenCL C as its own kernel and queues
 * launches without waiting; the device waits only when data comes back. Aparapi's compiles
 * {@link DeviceKernel}'s Java into one kernel and finishes every launch before the next; it runs
 * when the direct one is not available here (its message says why, {@link #launcher()}). Both read
 * their arguments from {@link DeviceKernel}'s fields, and compute the same sums in the same order.
 *
 * <p>Aparapi keeps device preferences per kernel class, so all OpenCL devices in the process
 * take turns through one lock; a GPU is one device anyway.
 */
public final class OpenClDevice extends AbstractComputeDevice<OpenClBuffer> {

    /** Largest transfer that goes through the small fixed staging array. */
    static final int SMALL_STAGE = 1 << 16;
    /** Largest staging array; bigger transfers go in chunks of this size. */
    static final int LARGE_STAGE = 1 << 22;
    /** Initial pool size in floats (16 MiB). */
    static final int INITIAL_POOL = 1 << 22;
    /**
     * Largest pool in floats: just under 2^31 bytes. Aparapi passes an array's size in bytes to
     * clCreateBuffer through a 32-bit int, so a pool of exactly 2^31 bytes (what doubling a 1 GiB
     * pool gives) overflows to a negative size and the launch fails.
     */
    static final int MAX_POOL_FLOATS = (Integer.MAX_VALUE / Float.BYTES) / MemoryPool.ALIGN * MemoryPool.ALIGN;

    /**
     * System property choosing the work-group kernels (tiled products, one work-group per norm
     * row): {@code true} or {@code false}; unset, they run on GPUs and accelerators and not on
     * CPU drivers such as PoCL, where one work item per output or row is faster.
     */
    public static final String GROUP_KERNELS_PROPERTY = "flowbench.opencl.groupKernels";
    /**
     * System property: {@code true} runs products with at least one 128 x 128 tile per compute unit
     * in 128 x 128 tiles ({@link #useLargeGemmTiles}), {@code false} runs every tiled product in
     * 64 x 64 tiles; unset, GPUs take the large tiles (on an H200, 4096^3 at 15.4 TFLOP/s against
     * 9.1 with 64 x 64 tiles, samples/device/README.md) and other devices the small ones.
     */
    public static final String LARGE_GEMM_TILES_PROPERTY = "flowbench.opencl.largeGemmTiles";
    /**
     * System property choosing the launcher: {@code direct} (each op its own OpenCL kernel, queued
     * without waiting; an error when not available), {@code aparapi} (one Aparapi kernel, a wait
     * per launch); unset, direct where it opens and Aparapi otherwise.
     */
    public static final String LAUNCHER_PROPERTY = "flowbench.opencl.launcher";
    /**
     * System property: {@code true} compiles the direct launcher's 128 x 128 product (code 35) in
     * its GPU form (slices 16 deep, padded local rows, the next slice read while the current one is
     * multiplied; products.cl) instead of the translation of the Java. The same sums in the same
     * order; which is faster on a GPU is measured by {@code OpenClCheck bench}, which times both.
     */
    public static final String PIPELINED_GEMM_PROPERTY = "flowbench.opencl.pipelinedGemm";
    /**
     * System property: {@code true} opens the direct launcher on a queue that records each launch's
     * start and end, so {@link #profileKernels} can say where a piece of work spends its device
     * time. Off by default: drivers may serialise or slow a profiling queue.
     */
    public static final String PROFILE_KERNELS_PROPERTY = "flowbench.opencl.profileKernels";
    /**
     * Largest pool in floats with the direct launcher: offsets into the pool are ints, and the
     * pool is one OpenCL buffer (so also bounded by the device's largest allocation).
     */
    static final int MAX_DIRECT_POOL_FLOATS = Integer.MAX_VALUE / MemoryPool.ALIGN * MemoryPool.ALIGN;
    /**
     * Smallest output side for the tiled product: below half a tile in rows or columns, one
     * work item per output wastes less than a 64 x 64 tile does.
     */
    static final int TILED_MIN_SIDE = 32;
    /** Narrowest norm row that gets a work-group of its own. */
    static final int ROW_GROUP_MIN_COLS = 128;
    /** Most blocks of rows whose column sums take one launch (one item per column) instead of partials and a sum. */
    static final int DIRECT_SUM_MAX_BLOCKS = 8;
    /** Shortest copy or fill that goes through the wide kernels. */
    static final int WIDE_COPY_MIN = 1 << 16;

    private static final Object LOCK = new Object();
    private static OpenCLDevice preferred;

    private final String name;
    private final OpenCLDevice cl;
    private final DeviceInfo info;
    private final DeviceKernel kernel = new DeviceKernel();
    /** The direct launcher, or null when Aparapi runs the ops. */
    private final DirectKernels direct;
    /** Which launcher runs the ops, and why, in words. */
    private final String launcher;
    /** One line for the user when Aparapi runs because the direct launcher could not open, else null. */
    private final String launcherWarning;
    private final MemoryPool pool;
    private final int maxPoolFloats;
    private final int localSize;
    /** Whether the tiled product and the norm row work-groups run here (see {@link #GROUP_KERNELS_PROPERTY}). */
    private boolean groupKernels;
    private volatile boolean largeGemmTiles;
    /** Chosen by device type rather than asked for: then only products that fill every compute unit take them. */
    private volatile boolean largeTilesByDefault;
    /** The device's compute units (streaming multiprocessors on a GPU). */
    private final int computeUnits;
    /** The compiled kernel's limits on this device: largest work-group, private and local bytes per item/group. */
    private String kernelLimits = "not queried";
    private final java.util.Set<OpenClBuffer> live = new java.util.HashSet<>();
    private String failure;
    private boolean closed;
    private long uploadedFloats;
    private long downloadedFloats;
    private long launches;

    private OpenClDevice(String name, OpenCLDevice cl, DeviceInfo info, int maxPoolFloats, DirectKernels direct,
                         String launcher, String launcherWarning) {
        super(OpenClBuffer.class);
        this.name = name;
        this.cl = cl;
        this.info = info;
        this.direct = direct;
        this.launcher = launcher;
        this.launcherWarning = launcherWarning;
        this.maxPoolFloats = maxPoolFloats;
        this.pool = new MemoryPool(Math.min(INITIAL_POOL, this.maxPoolFloats));
        this.localSize = Math.max(1, Math.min(64, cl.getMaxWorkGroupSize()));
        this.computeUnits = Math.max(1, cl.getMaxComputeUnits());
        String choice = System.getProperty(GROUP_KERNELS_PROPERTY, "");
        boolean wanted = choice.isEmpty() ? cl.getType() != com.aparapi.device.Device.TYPE.CPU : Boolean.parseBoolean(choice);
        this.groupKernels = wanted && cl.getMaxWorkGroupSize() >= DeviceKernel.GEMM_THREADS;
        String large = System.getProperty(LARGE_GEMM_TILES_PROPERTY, "");
        this.largeTilesByDefault = large.isEmpty();
        this.largeGemmTiles = large.isEmpty() ? cl.getType() == com.aparapi.device.Device.TYPE.GPU : Boolean.parseBoolean(large);
        if (direct == null) {
            kernel.setExplicit(true);
            kernel.mem = new float[pool.capacity()];
            kernel.stageSmall = new float[SMALL_STAGE];
            kernel.stageLarge = new float[SMALL_STAGE];
        }
    }

    /**
     * Opens the device named {@code name} on an OpenCL device and compiles its kernels.
     *
     * @param maxPoolFloats upper bound on device memory in floats (further bounded by the device's
     *                      largest allocation and a third of the Java heap, which mirrors the pool)
     * @throws DeviceFailureException when the kernels do not compile or do not run there
     */
    static OpenClDevice open(String name, OpenCLDevice cl, DeviceInfo info, long maxPoolFloats) {
        String choice = System.getProperty(LAUNCHER_PROPERTY, "").strip().toLowerCase(java.util.Locale.ROOT);
        if (!choice.isEmpty() && !choice.equals("direct") && !choice.equals("aparapi")) {
            throw new IllegalArgumentException("-D" + LAUNCHER_PROPERTY + " must be direct or aparapi, got " + choice);
        }
        DirectKernels direct = null;
        String launcher;
        String launcherWarning = null;
        int directLimit = (int) Math.max(MemoryPool.ALIGN, Math.min(Math.min(maxPoolFloats, MAX_DIRECT_POOL_FLOATS),
                cl.getMaxMemAllocSize() / Float.BYTES) / MemoryPool.ALIGN * MemoryPool.ALIGN);
        if (choice.equals("aparapi")) {
            launcher = "Aparapi, one kernel, a wait per launch (asked for by -D" + LAUNCHER_PROPERTY + "=aparapi)";
        } else {
            try {
                boolean pipelined = Boolean.getBoolean(PIPELINED_GEMM_PROPERTY);
                boolean profiling = Boolean.getBoolean(PROFILE_KERNELS_PROPERTY);
                direct = openDirect(name, cl, Math.min(INITIAL_POOL, directLimit), pipelined, profiling);
                launcher = "direct, " + direct.ops().size() + " OpenCL kernels queued without waiting"
                        + (pipelined ? ", 128 x 128 products pipelined" : "")
                        + (profiling ? ", launch times recorded" : "");
            } catch (DirectKernels.DirectKernelsException | LinkageError e) {
                if (choice.equals("direct")) {
                    throw new DeviceFailureException(name + ": the direct OpenCL launcher is not available: "
                            + firstLine(e), false, e);
                }
                launcher = "Aparapi, one kernel, a wait per launch (the direct launcher is not available: "
                        + firstLine(e) + ")";
                launcherWarning = name + " runs on " + launcher;
            }
        }
        int limit = direct != null ? directLimit
                : poolLimit(maxPoolFloats, Runtime.getRuntime().maxMemory(), cl.getMaxMemAllocSize());
        OpenClDevice device = new OpenClDevice(name, cl, info, limit, direct, launcher, launcherWarning);
        synchronized (LOCK) {
            if (direct == null) {
                device.select();
                try {
                    device.kernel.compile(cl);
                } catch (CompileFailedException | RuntimeException e) {
                    device.kernel.dispose();
                    throw new DeviceFailureException(name + ": the OpenCL kernels failed to compile on "
                            + info.description() + ": " + firstLine(e), false, e);
                }
            }
            device.queryKernelLimits();
            // A first launch proves the kernel really runs on this device rather than in Aparapi's fallback.
            device.kernel.resetArguments();
            device.kernel.a0 = 0;
            device.kernel.f0 = 0f;
            device.launch(DeviceKernel.OP_FILL, device.pool.capacity());
        }
        return device;
    }

    /**
     * Opens the direct launcher on the device Aparapi calls {@code cl}, matched by platform and
     * device name (and, among devices of one name, by order): the two reach OpenCL through
     * different ICD loaders, whose device handles need not agree.
     */
    private static DirectKernels openDirect(String name, OpenCLDevice cl, int poolFloats, boolean pipelinedGemm,
                                            boolean profiling) {
        String platform = cl.getOpenCLPlatform() == null ? "" : cl.getOpenCLPlatform().getName();
        int ordinal = 0;
        if (cl.getOpenCLPlatform() != null) {
            for (OpenCLDevice other : cl.getOpenCLPlatform().getOpenCLDevices()) {
                if (other.getDeviceId() == cl.getDeviceId()) {
                    break;
                }
                if (other.getName().strip().equals(cl.getName().strip())) {
                    ordinal++;
                }
            }
        }
        String source = DirectKernels.source();
        if (pipelinedGemm) {
            source = "#define GEMM_PIPELINED 1\n" + source;
        }
        return DirectKernels.open(name, platform, cl.getName(), ordinal, poolFloats, source, profiling);
    }

    /** Which launcher runs the ops, and why, in words ({@link #LAUNCHER_PROPERTY}). */
    public String launcher() {
        return launcher;
    }

    /**
     * Waits until every op queued so far has run (the direct launcher queues launches without
     * waiting; Aparapi's has always finished). For timing: results need no call, a download waits.
     */
    @Override
    public void finish() {
        synchronized (LOCK) {
            usable();
            if (direct != null) {
                try {
                    direct.finish();
                } catch (DirectKernels.DirectKernelsException e) {
                    executionFailed(e);
                }
            }
        }
    }

    /**
     * Runs {@code work} and returns the device time of each kernel it launched (with launches from
     * other threads on this device in that time). Every launch is recorded; the device is waited for
     * before and after, and every {@link DirectKernels#PROFILE_PENDING} launches in between, so time
     * the work's wall clock separately, on a device opened without profiling.
     *
     * @throws IllegalStateException when the device was not opened with {@link #PROFILE_KERNELS_PROPERTY}
     *                               on the direct launcher
     */
    public KernelProfile profileKernels(Runnable work) {
        synchronized (LOCK) {
            usable();
            if (direct == null || !direct.profiling()) {
                throw new IllegalStateException(name + " records no launch times: open it on the direct launcher with -D"
                        + PROFILE_KERNELS_PROPERTY + "=true");
            }
            try {
                direct.startProfile();
            } catch (DirectKernels.DirectKernelsException e) {
                executionFailed(e);
            }
        }
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            synchronized (LOCK) {
                direct.abandonProfile();
            }
            throw e;
        }
        synchronized (LOCK) {
            try {
                return direct.stopProfile();
            } catch (DirectKernels.DirectKernelsException e) {
                throw executionFailed(e);
            }
        }
    }

    /** {@link #fail} after a queued op failed on the direct launcher: whatever the queue held is lost. */
    private DeviceFailureException executionFailed(DirectKernels.DirectKernelsException e) {
        return fail(name + ": OpenCL execution failed; its data is lost: " + e.getMessage(), e);
    }

    /** The direct launcher, or null when Aparapi runs the ops (for tests). */
    DirectKernels directKernels() {
        return direct;
    }

    /**
     * One line for the user when Aparapi runs the ops although the direct launcher was not turned
     * off (it could not open here: slower, same results), else null.
     */
    public String launcherWarning() {
        return launcherWarning;
    }

    /** Whether the direct launcher runs the ops (rather than Aparapi). */
    public boolean launchesDirectly() {
        return direct != null;
    }

    /**
     * The largest pool in floats: the caller's bound, a third of the Java heap (which mirrors the
     * pool), the device's largest allocation and {@link #MAX_POOL_FLOATS}, in whole aligned blocks.
     */
    static int poolLimit(long requestedFloats, long heapBytes, long deviceMaxAllocBytes) {
        long limit = Math.min(Math.min(requestedFloats, MAX_POOL_FLOATS),
                Math.min(heapBytes / Float.BYTES / 3, deviceMaxAllocBytes / Float.BYTES));
        return (int) Math.max(MemoryPool.ALIGN, limit / MemoryPool.ALIGN * MemoryPool.ALIGN);
    }

    /**
     * Reads the compiled kernel's largest work-group here; the work-group kernels are turned off
     * when it is below {@link DeviceKernel#GEMM_THREADS} (a compiler that gives the one kernel many
     * registers may allow fewer items per group than the device does).
     */
    private void queryKernelLimits() {
        if (direct != null) {
            try {
                long maxGroup = Long.MAX_VALUE;
                for (int op : new int[] {DeviceKernel.OP_GEMM_TILED, DeviceKernel.OP_GEMM_TILED_LARGE,
                        DeviceKernel.OP_LAYER_NORM_GROUPS, DeviceKernel.OP_LAYER_NORM_DX_GROUPS,
                        DeviceKernel.OP_RMS_NORM_GROUPS, DeviceKernel.OP_RMS_NORM_DX_GROUPS}) {
                    maxGroup = Math.min(maxGroup, direct.maxWorkGroup(op));
                }
                long[] gemm = direct.memoryUse(DeviceKernel.OP_GEMM_TILED_LARGE);
                kernelLimits = String.format(java.util.Locale.ROOT,
                        "largest work-group of the group kernels %d; large-tile product: %d private bytes per item,"
                                + " %d local bytes per group", maxGroup, gemm[0], gemm[1]);
                if (maxGroup < DeviceKernel.GEMM_THREADS) {
                    groupKernels = false;
                }
            } catch (DirectKernels.DirectKernelsException e) {
                kernelLimits = "kernel limits not available: " + e.getMessage();
            }
            return;
        }
        try {
            int maxGroup = kernel.getKernelMaxWorkGroupSize(cl);
            kernelLimits = String.format(java.util.Locale.ROOT,
                    "largest work-group %d, %d private bytes per item, %d local bytes per group", maxGroup,
                    kernel.getKernelMinimumPrivateMemSizeInUsePerWorkItem(cl), kernel.getKernelLocalMemSizeInUse(cl));
            if (maxGroup < DeviceKernel.GEMM_THREADS) {
                groupKernels = false;
            }
        } catch (com.aparapi.exception.QueryFailedException | RuntimeException e) {
            kernelLimits = "kernel limits not available: " + firstLine(e);
        }
    }

    /** The compiled kernel's limits on this device, in words (for diagnostics). */
    public String kernelLimits() {
        return kernelLimits;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.OPENCL;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** Floats the pool holds now, and floats in use. */
    public long[] poolUsage() {
        synchronized (LOCK) {
            return new long[] {pool.capacity(), pool.used()};
        }
    }

    /**
     * Floats the callers moved so far: {uploaded, downloaded}. (Staging arrays and pool growth
     * move more behind the scenes; this counts what was asked for.)
     */
    public long[] transferredFloats() {
        synchronized (LOCK) {
            return new long[] {uploadedFloats, downloadedFloats};
        }
    }

    /** Kernel launches so far. */
    public long launches() {
        synchronized (LOCK) {
            return launches;
        }
    }

    /**
     * Whether Aparapi runs this device's kernel on its OpenCL device (and not in its Java
     * fallback) and no launch has failed.
     */
    public boolean isRunningOpenCl() {
        synchronized (LOCK) {
            select();
            if (direct != null) {
                return failure == null && !closed;
            }
            return failure == null && !closed && kernel.isRunningCL()
                    && !KernelManager.instance().getPreferences(kernel).getFailedDevices().contains(cl);
        }
    }

    /** Whether this device runs the work-group kernels: tiled products and one work-group per norm row. */
    public boolean usesGroupKernels() {
        return groupKernels;
    }

    /**
     * Whether tiled products of at least 128 x 128 outputs take 128 x 128 tiles (8 x 8 outputs per
     * work item) rather than 64 x 64 (4 x 4): the same sums in the same order, so the same floats.
     * Only with the work-group kernels.
     */
    public void useLargeGemmTiles(boolean large) {
        largeGemmTiles = large;
        largeTilesByDefault = false;
    }

    public boolean usesLargeGemmTiles() {
        return largeGemmTiles;
    }

    /** Largest pool this device will grow to, in floats. */
    public int maxPoolFloats() {
        return maxPoolFloats;
    }

    // ----------------------------------------------------------------------------------------
    // Launching

    private void select() {
        if (direct == null && preferred != cl) {
            LinkedHashSet<com.aparapi.device.Device> only = new LinkedHashSet<>(List.of(cl));
            KernelManager.instance().setPreferredDevices(kernel, only);
            preferred = cl;
        }
    }

    private void usable() {
        if (closed) {
            throw new IllegalStateException(name + " was closed");
        }
        if (failure != null) {
            throw new DeviceFailureException(failure, false);
        }
    }

    /** Runs {@code op} over work items [0, n) with the arguments already set, and checks it ran on OpenCL. */
    private void launch(int op, int n) {
        if (n <= 0) {
            return;
        }
        int global = (int) Math.min(Integer.MAX_VALUE - localSize + 1L, ((long) n + localSize - 1) / localSize * localSize);
        launch(op, n, global, localSize);
    }

    /** Runs {@code groups} work-groups of {@code groupSize} items of {@code op}, arguments already set. */
    private void launchGroups(int op, int groups, int groupSize) {
        launch(op, groups * groupSize, groups * groupSize, groupSize);
    }

    /**
     * Launches {@code op} for {@code n} items over {@code global} work items in groups of {@code local}
     * on whichever launcher runs the ops; on Aparapi, checks that it ran on OpenCL.
     */
    private void launch(int op, int n, int global, int local) {
        kernel.op = op;
        kernel.n = n;
        launches++;
        if (direct != null) {
            launchDirect(op, global, local);
            return;
        }
        try {
            kernel.execute(Range.create(cl, global, local));
        } catch (RuntimeException | Error e) {
            fail(name + ": OpenCL launch failed: " + firstLine(e), e);
        }
        List<com.aparapi.device.Device> failed = KernelManager.instance().getPreferences(kernel).getFailedDevices();
        if (failed.contains(cl) || !kernel.isRunningCL()) {
            fail(name + ": OpenCL execution failed on " + info.description()
                    + " (Aparapi fell back to Java); its data is lost", null);
        }
    }

    /** Queues {@code op} on the direct launcher; a failure marks the device failed. */
    private void launchDirect(int op, int global, int local) {
        try {
            direct.launch(op, global, local, kernel);
        } catch (DirectKernels.DirectKernelsException e) {
            fail(name + ": OpenCL launch failed: " + e.getMessage(), e);
        }
    }

    /**
     * Work-group size for a norm row of {@code cols} floats (about four floats per item, 32 to
     * 256), or 0 when one work item per row is the better choice (narrow rows).
     */
    private int rowGroupSize(int cols) {
        if (!groupKernels || cols < ROW_GROUP_MIN_COLS) {
            return 0;
        }
        return Math.max(32, Math.min(256, Integer.highestOneBit(cols / 4)));
    }

    /** A norm row op: one work-group per row ({@code groupOp}) where the rows are wide enough, else one item per row. */
    private void rowOp(int itemOp, int groupOp, int rows, int cols, Runnable setter) {
        int group = rowGroupSize(cols);
        if (group > 0) {
            runRows(groupOp, rows, group, setter);
        } else {
            run(itemOp, rows, setter);
        }
    }

    /** Runs a norm row op with one work-group per row, arguments set by {@code setter}. */
    private void runRows(int op, int rows, int groupSize, Runnable setter) {
        setAndLaunch(setter, () -> launchGroups(op, rows, groupSize));
    }

    /**
     * Whether column sums over {@code rows} take one launch (one item per column) rather than
     * block partials and a sum: on GPUs, where a launch costs more than the lost parallelism for
     * a few blocks; CPU drivers run the partials faster.
     */
    private boolean directSums(int rows) {
        return groupKernels && Blocking.blocks(rows) <= DIRECT_SUM_MAX_BLOCKS;
    }

    /**
     * Whether a product with an m x n output goes to the tiled kernel: both sides at least half a
     * tile, and at least one tile per compute unit (fewer tiles leave most of a GPU idle, where
     * one work item per output keeps it busy).
     */
    private boolean tiled(int m, int n, int k) {
        return tiled(1, m, n, k);
    }

    private boolean tiled(int batch, int m, int n, int k) {
        if (!groupKernels || m < TILED_MIN_SIDE || n < TILED_MIN_SIDE || k < 1) {
            return false;
        }
        long tiles = (long) batch * ((m + DeviceKernel.GEMM_TILE - 1) / DeviceKernel.GEMM_TILE)
                * ((n + DeviceKernel.GEMM_TILE - 1) / DeviceKernel.GEMM_TILE);
        return tiles >= computeUnits;
    }

    /**
     * {@code C = alpha A B (+ bias)} for {@code batch} products through the tiled kernel; A(b, i,
     * p) at {@code a + b batchA + i ai + p ap}, B(b, p, j) at {@code b + b batchB + p bp + j bj},
     * C row-major [batch, m, n].
     */
    private void gemmTiled(int a, int ai, int ap, int batchA, int b, int bp, int bj, int batchB, int c, int bias,
                           int batch, int m, int n, int k, float alpha) {
        gemmTiled(a, ai, ap, batchA, b, bp, bj, batchB, c, bias, batch, m, n, k, alpha, null, -1, -1, -1, 0);
    }

    /**
     * {@link #gemmTiled} with the activation {@code f} applied on the way out, or the residual
     * [m, n] at {@code residual} (or -1) added; the value before either stored at {@code z} (or -1).
     * Row {@code onesRow} of A (or -1) is all ones and row {@code onesRow} of C goes to {@code onesOut}.
     */
    private void gemmTiled(int a, int ai, int ap, int batchA, int b, int bp, int bj, int batchB, int c, int bias,
                           int batch, int m, int n, int k, float alpha, Activation f, int z, int residual, int onesRow,
                           int onesOut) {
        int largeSide = DeviceKernel.GEMM_LARGE_TILE;
        // By default, large tiles only where there are enough of them to fill every compute unit.
        long largeTiles = (long) batch * ((m + largeSide - 1) / largeSide) * ((n + largeSide - 1) / largeSide);
        boolean large = largeGemmTiles && m >= largeSide && n >= largeSide
                && (!largeTilesByDefault || largeTiles >= computeUnits);
        int side = large ? DeviceKernel.GEMM_LARGE_TILE : DeviceKernel.GEMM_TILE;
        int tilesM = (m + side - 1) / side;
        int tilesN = (n + side - 1) / side;
        long groups = (long) batch * tilesM * tilesN;
        if (groups * DeviceKernel.GEMM_THREADS > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": product too large for one launch: " + batch + " x " + m
                    + " x " + n);
        }
        synchronized (LOCK) {
            usable();
            select();
            kernel.resetArguments();
            kernel.a0 = a;
            kernel.a1 = b;
            kernel.a2 = c;
            kernel.a3 = bias;
            kernel.f0 = alpha;
            kernel.gemmM = m;
            kernel.gemmN = n;
            kernel.gemmK = k;
            kernel.gemmTilesN = tilesN;
            kernel.gemmTilesPerBatch = tilesM * tilesN;
            kernel.gemmAi = ai;
            kernel.gemmAp = ap;
            kernel.gemmBp = bp;
            kernel.gemmBj = bj;
            kernel.gemmBatchA = batchA;
            kernel.gemmBatchB = batchB;
            kernel.gemmOnesRow = onesRow;
            kernel.gemmOnesOut = onesOut;
            if (f != null) {
                kernel.s0 = f.ordinal();
                kernel.s1 = 1;
                kernel.a4 = z;
            }
            if (residual >= 0) {
                kernel.a4 = z;
                kernel.a5 = residual;
            }
            launchGroups(large ? DeviceKernel.OP_GEMM_TILED_LARGE : DeviceKernel.OP_GEMM_TILED, (int) groups,
                    DeviceKernel.GEMM_THREADS);
        }
    }

    /** Marks the device failed and throws; declared to return the failure so a caller can {@code throw} it. */
    private DeviceFailureException fail(String message, Throwable cause) {
        failure = message;
        throw new DeviceFailureException(message, false, cause);
    }

    /** Sets the op's arguments through {@code setter} and launches, under the device lock. */
    private void run(int op, int n, Runnable setter) {
        setAndLaunch(setter, () -> launch(op, n));
    }

    /** Under the device lock: arguments reset, then set by {@code setter}, then {@code launch}. */
    private void setAndLaunch(Runnable setter, Runnable launch) {
        synchronized (LOCK) {
            usable();
            select();
            kernel.resetArguments();
            setter.run();
            launch.run();
        }
    }

    /** The buffer's offset in the pool, or -1 (what the kernels read as absent) when it is null. */
    private static int offsetOrNone(OpenClBuffer buffer) {
        return buffer == null ? -1 : buffer.poolOffset();
    }

    /** Puts the buffers' pool offsets in the kernel's a0, a1, ... in order; a null buffer is -1, absent. */
    private void bufferArguments(OpenClBuffer... buffers) {
        for (int i = 0; i < buffers.length; i++) {
            int offset = offsetOrNone(buffers[i]);
            switch (i) {
                case 0 -> kernel.a0 = offset;
                case 1 -> kernel.a1 = offset;
                case 2 -> kernel.a2 = offset;
                case 3 -> kernel.a3 = offset;
                case 4 -> kernel.a4 = offset;
                case 5 -> kernel.a5 = offset;
                case 6 -> kernel.a6 = offset;
                case 7 -> kernel.a7 = offset;
                case 8 -> kernel.a8 = offset;
                default -> throw new IllegalArgumentException("an op takes at most 9 buffers, got " + buffers.length);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Buffers

    @Override
    protected OpenClBuffer doAllocate(int floats) {
        synchronized (LOCK) {
            usable();
            if (floats == 0) {
                return new OpenClBuffer(this, 0, 0);
            }
            int start = reserve(floats);
            OpenClBuffer buffer = new OpenClBuffer(this, start, floats);
            live.add(buffer);
            select();
            kernel.resetArguments();
            kernel.a0 = start;
            kernel.f0 = 0f;
            launch(DeviceKernel.OP_FILL, floats);
            return buffer;
        }
    }

    /** A pool block of {@code floats}, growing the pool if needed; out-of-memory before anything changes. */
    private int reserve(int floats) {
        int start = pool.allocate(floats);
        if (start >= 0) {
            return start;
        }
        if (MemoryPool.aligned(floats) > maxPoolFloats) {
            throw new DeviceFailureException(String.format(java.util.Locale.ROOT,
                    "%s: out of device memory: one buffer of %d floats (%d MiB) is larger than the whole pool can be"
                            + " (%d MiB: %s)",
                    name, floats, (long) floats * Float.BYTES >> 20, (long) maxPoolFloats * Float.BYTES >> 20,
                    direct != null ? "the device's largest allocation, and 2^31 floats because offsets are ints"
                            : "the device's largest allocation, a third of the Java heap, and under 2 GiB because"
                            + " Aparapi sizes OpenCL buffers with a 32-bit int"), true);
        }
        long needed = pool.capacityNeededFor(floats);
        if (needed > maxPoolFloats) {
            throw new DeviceFailureException(String.format(java.util.Locale.ROOT,
                    "%s: out of device memory: %d floats requested, %d of %d in use (limit %d MiB)",
                    name, floats, pool.used(), pool.capacity(), maxPoolFloats / (1024 * 1024 / 4)), true);
        }
        long grown = Math.min(maxPoolFloats, Math.max(needed, 2L * pool.capacity()));
        growPool((int) grown);
        start = pool.allocate(floats);
        if (start < 0) {
            throw new IllegalStateException(name + ": pool grew to " + pool.capacity() + " floats but " + floats
                    + " still do not fit");
        }
        return start;
    }

    /**
     * Moves the pool to a larger array: reads the device copy back, copies it and lets Aparapi
     * create the larger device buffer from the host copy at the next launch.
     */
    private void growPool(int capacity) {
        if (direct != null) {
            try {
                direct.growPool(capacity);
            } catch (DirectKernels.DirectKernelsException e) {
                if (e.outOfMemory()) {
                    throw new DeviceFailureException(name + ": out of device memory growing the pool to "
                            + ((long) capacity * Float.BYTES >> 20) + " MiB: " + e.getMessage(), true, e);
                }
                fail(name + ": " + e.getMessage(), e);
            }
            pool.grow(capacity);
            return;
        }
        float[] bigger;
        try {
            bigger = new float[capacity];
        } catch (OutOfMemoryError e) {
            throw new DeviceFailureException(name + ": not enough Java heap to mirror a device pool of " + capacity
                    + " floats", true, e);
        }
        select();
        kernel.get(kernel.mem);
        System.arraycopy(kernel.mem, 0, bigger, 0, kernel.mem.length);
        kernel.mem = bigger;
        pool.grow(capacity);
    }

    @Override
    protected void doFree(OpenClBuffer buffer) {
        synchronized (LOCK) {
            if (live.remove(buffer)) {
                pool.release(buffer.allocationStart(), buffer.length());
            }
        }
    }

    @Override
    protected void doUpload(float[] src, int srcOffset, OpenClBuffer dst, int dstOffset, int length) {
        synchronized (LOCK) {
            usable();
            if (direct != null) {
                try {
                    direct.upload(src, srcOffset, (long) dst.poolOffset() + dstOffset, length);
                } catch (DirectKernels.DirectKernelsException e) {
                    fail(name + ": " + e.getMessage(), e);
                }
                uploadedFloats += length;
                return;
            }
            select();
            int done = 0;
            while (done < length) {
                int chunk = Math.min(length - done, LARGE_STAGE);
                boolean small = chunk <= SMALL_STAGE;
                float[] stage = small ? kernel.stageSmall : largeStage(chunk);
                System.arraycopy(src, srcOffset + done, stage, 0, chunk);
                kernel.put(stage);
                uploadedFloats += chunk;
                kernel.resetArguments();
                kernel.s0 = small ? 0 : 1;
                kernel.a0 = dst.poolOffset() + dstOffset + done;
                launch(DeviceKernel.OP_STAGE_IN, chunk);
                done += chunk;
            }
        }
    }

    @Override
    protected void doDownload(OpenClBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        synchronized (LOCK) {
            usable();
            if (direct != null) {
                try {
                    direct.download((long) src.poolOffset() + srcOffset, dst, dstOffset, length);
                } catch (DirectKernels.DirectKernelsException e) {
                    fail(name + ": OpenCL execution or transfer failed; its data is lost: " + e.getMessage(), e);
                }
                downloadedFloats += length;
                return;
            }
            select();
            int done = 0;
            while (done < length) {
                int chunk = Math.min(length - done, LARGE_STAGE);
                boolean small = chunk <= SMALL_STAGE;
                float[] stage = small ? kernel.stageSmall : largeStage(chunk);
                kernel.resetArguments();
                kernel.s0 = small ? 0 : 1;
                kernel.a0 = src.poolOffset() + srcOffset + done;
                launch(DeviceKernel.OP_STAGE_OUT, chunk);
                kernel.get(stage);
                downloadedFloats += chunk;
                System.arraycopy(stage, 0, dst, dstOffset + done, chunk);
                done += chunk;
            }
        }
    }

    /** The large staging array, resized to the next power of two at or above {@code floats} when far off. */
    private float[] largeStage(int floats) {
        int want = Integer.highestOneBit(Math.max(SMALL_STAGE, floats - 1)) << 1;
        want = Math.min(want, LARGE_STAGE);
        int have = kernel.stageLarge.length;
        if (have < floats || have > 4L * want) {
            kernel.stageLarge = new float[want];
        }
        return kernel.stageLarge;
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            for (OpenClBuffer b : live.toArray(new OpenClBuffer[0])) {
                free(b);
            }
            closed = true;
            if (direct != null) {
                direct.close();
            } else {
                kernel.dispose();
            }
            if (preferred == cl) {
                preferred = null;
            }
        }
    }

    /** A block of the pool for partial sums, not zeroed (every float is written), freed by the caller. */
    private OpenClBuffer scratch(int floats) {
        synchronized (LOCK) {
            usable();
            OpenClBuffer buffer = new OpenClBuffer(this, reserve(floats), floats);
            live.add(buffer);
            return buffer;
        }
    }

    // ----------------------------------------------------------------------------------------
    // Element-wise

    @Override
    protected void doFill(OpenClBuffer x, float value) {
        int length = x.length();
        if (length >= WIDE_COPY_MIN) {
            int items = (length + DeviceKernel.COPY_PER_ITEM - 1) / DeviceKernel.COPY_PER_ITEM;
            run(DeviceKernel.OP_FILL_WIDE, items, () -> {
                kernel.s0 = length;
                kernel.a0 = x.poolOffset();
                kernel.f0 = value;
            });
            return;
        }
        run(DeviceKernel.OP_FILL, length, () -> {
            kernel.a0 = x.poolOffset();
            kernel.f0 = value;
        });
    }

    @Override
    protected void doCopy(OpenClBuffer src, OpenClBuffer dst) {
        int length = dst.length();
        if (length >= WIDE_COPY_MIN) {
            int items = (length + DeviceKernel.COPY_PER_ITEM - 1) / DeviceKernel.COPY_PER_ITEM;
            run(DeviceKernel.OP_COPY_WIDE, items, () -> {
                kernel.s0 = length;
                bufferArguments(src, dst);
            });
            return;
        }
        run(DeviceKernel.OP_COPY, length, () -> bufferArguments(src, dst));
    }

    @Override
    protected void doCopyColumns(OpenClBuffer src, int srcCols, int srcCol, OpenClBuffer dst, int dstCols, int dstCol,
                                 int rows, int width) {
        run(DeviceKernel.OP_COPY_COLUMNS, rows * width, () -> {
            kernel.s0 = width;
            kernel.s1 = srcCols;
            kernel.s2 = dstCols;
            kernel.a0 = src.poolOffset() + srcCol;
            kernel.a1 = dst.poolOffset() + dstCol;
        });
    }

    @Override
    protected void doAxpby(float a, OpenClBuffer x, float b, OpenClBuffer y, OpenClBuffer out) {
        run(DeviceKernel.OP_AXPBY, out.length(), () -> {
            bufferArguments(x, y, out);
            kernel.f0 = a;
            kernel.f1 = b;
        });
    }

    @Override
    protected void doMultiply(OpenClBuffer x, OpenClBuffer y, OpenClBuffer out) {
        run(DeviceKernel.OP_MULTIPLY, out.length(), () -> bufferArguments(x, y, out));
    }

    @Override
    protected void doHeunStep(OpenClBuffer x, OpenClBuffer v1, OpenClBuffer v2, float h, OpenClBuffer out) {
        run(DeviceKernel.OP_HEUN, out.length(), () -> {
            bufferArguments(x, v1, v2, out);
            kernel.f0 = 0.5f * h;
        });
    }

    @Override
    protected void doRk4Step(OpenClBuffer x, OpenClBuffer k1, OpenClBuffer k2, OpenClBuffer k3, OpenClBuffer k4,
                             float h, OpenClBuffer out) {
        run(DeviceKernel.OP_RK4, out.length(), () -> {
            bufferArguments(x, k1, k2, k3, k4, out);
            kernel.f0 = h / 6f;
        });
    }

    @Override
    protected void doAdamStep(OpenClBuffer params, OpenClBuffer grads, OpenClBuffer m, OpenClBuffer v,
                              OpenClBuffer decays, float keep, float lr, float beta1, float beta2, float eps, float c1,
                              float c2) {
        run(DeviceKernel.OP_ADAM, params.length(), () -> {
            bufferArguments(params, grads, m, v, decays);
            kernel.f6 = keep;
            kernel.f0 = lr;
            kernel.f1 = beta1;
            kernel.f2 = beta2;
            kernel.f3 = eps;
            kernel.f4 = c1;
            kernel.f5 = c2;
        });
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    @Override
    protected void doActivate(Activation f, OpenClBuffer x, OpenClBuffer y) {
        run(DeviceKernel.OP_ACTIVATE, y.length(), () -> {
            kernel.s0 = f.ordinal();
            bufferArguments(x, y);
        });
    }

    @Override
    protected void doActivateBackward(Activation f, OpenClBuffer x, OpenClBuffer dy, OpenClBuffer dx) {
        run(DeviceKernel.OP_ACTIVATE_BACKWARD, dx.length(), () -> {
            kernel.s0 = f.ordinal();
            bufferArguments(x, dy, dx);
        });
    }

    // ----------------------------------------------------------------------------------------
    // Dense

    @Override
    protected void doDenseForward(OpenClBuffer x, OpenClBuffer w, OpenClBuffer bias, OpenClBuffer y,
                                  int rows, int in, int out) {
        if (tiled(rows, out, in)) {
            denseTiled(x, w, bias, y, rows, in, out, null, -1, -1);
            return;
        }
        run(DeviceKernel.OP_DENSE_FORWARD, rows * out, () -> denseArguments(x, w, bias, y, in, out));
    }

    /** The product adds the residual as it stores (tiled or not): one launch. */
    @Override
    protected void doDenseForwardResidual(OpenClBuffer x, OpenClBuffer w, OpenClBuffer bias, OpenClBuffer residual,
                                          OpenClBuffer z, OpenClBuffer y, int rows, int in, int out) {
        if (!tiled(rows, out, in)) {
            run(DeviceKernel.OP_DENSE_FORWARD, rows * out, () -> {
                denseArguments(x, w, bias, y, in, out);
                kernel.a4 = offsetOrNone(z);
                kernel.a5 = residual.poolOffset();
            });
            return;
        }
        denseTiled(x, w, bias, y, rows, in, out, null, offsetOrNone(z), residual.poolOffset());
    }

    /** The product applies the activation as it stores (tiled or not): one launch and one pass over y. */
    @Override
    protected void doDenseForward(OpenClBuffer x, OpenClBuffer w, OpenClBuffer bias, Activation f, OpenClBuffer z,
                                  OpenClBuffer y, int rows, int in, int out) {
        if (!tiled(rows, out, in)) {
            run(DeviceKernel.OP_DENSE_FORWARD, rows * out, () -> {
                denseArguments(x, w, bias, y, in, out);
                kernel.s2 = f.ordinal();
                kernel.s3 = 1;
                kernel.a4 = offsetOrNone(z);
            });
            return;
        }
        denseTiled(x, w, bias, y, rows, in, out, f, offsetOrNone(z), -1);
    }

    /** Arguments of the one-item-per-output dense product {@code y = x w (+ bias)}, x [rows, in], w [in, out]. */
    private void denseArguments(OpenClBuffer x, OpenClBuffer w, OpenClBuffer bias, OpenClBuffer y, int in, int out) {
        kernel.s0 = in;
        kernel.s1 = out;
        bufferArguments(x, w, bias, y);
    }

    /**
     * {@code y = x w (+ bias)} through the tiled kernel, with the activation {@code f} (or null), the
     * value before it or the residual at {@code z} (or -1), and the residual at {@code residual} (or -1).
     */
    private void denseTiled(OpenClBuffer x, OpenClBuffer w, OpenClBuffer bias, OpenClBuffer y, int rows, int in,
                            int out, Activation f, int z, int residual) {
        gemmTiled(x.poolOffset(), in, 1, 0, w.poolOffset(), out, 1, 0, y.poolOffset(), offsetOrNone(bias), 1, rows,
                out, in, 1f, f, z, residual, -1, 0);
    }

    @Override
    protected void doDenseBackward(OpenClBuffer x, OpenClBuffer w, OpenClBuffer dy, OpenClBuffer dx, OpenClBuffer dw,
                                   OpenClBuffer db, int rows, int in, int out) {
        if (dx != null && tiled(rows, in, out)) {
            // dx[r, i] = sum_o dy[r, o] w[i, o]
            gemmTiled(dy.poolOffset(), out, 1, 0, w.poolOffset(), 1, out, 0, dx.poolOffset(), -1, 1, rows, in, out, 1f);
        } else if (dx != null) {
            run(DeviceKernel.OP_DENSE_DX, rows * in, () -> {
                kernel.s0 = in;
                kernel.s1 = out;
                kernel.a1 = w.poolOffset();
                kernel.a2 = dy.poolOffset();
                kernel.a3 = dx.poolOffset();
            });
        }
        boolean dbDone = false;
        if (dw != null && tiled(in, out, rows)) {
            // dw[i, o] = sum_r x[r, i] dy[r, o]; db as the product's row "in", x's row of ones (one launch fewer)
            dbDone = db != null;
            gemmTiled(x.poolOffset(), 1, in, 0, dy.poolOffset(), out, 1, 0, dw.poolOffset(), -1, 1,
                    dbDone ? in + 1 : in, out, rows, 1f, null, -1, -1, dbDone ? in : -1, dbDone ? db.poolOffset() : 0);
        } else if (dw != null) {
            run(DeviceKernel.OP_DENSE_DW, in * out, () -> {
                kernel.s0 = in;
                kernel.s1 = out;
                kernel.s2 = rows;
                kernel.a0 = x.poolOffset();
                kernel.a2 = dy.poolOffset();
                kernel.a3 = dw.poolOffset();
            });
        }
        if (db != null && !dbDone) {
            columnSums(dy, db, rows, out);
        }
    }

    /** {@code out[j] = sum over rows of src[r, j]} in {@link Blocking} order. */
    private void columnSums(OpenClBuffer src, OpenClBuffer out, int rows, int cols) {
        int blocks = Blocking.blocks(rows);
        if (directSums(rows)) {
            run(DeviceKernel.OP_COLUMN_SUMS_DIRECT, cols, () -> {
                kernel.s0 = cols;
                kernel.s1 = rows;
                bufferArguments(src, out);
            });
            return;
        }
        OpenClBuffer partials = scratch(Math.multiplyExact(blocks, cols));
        try {
            run(DeviceKernel.OP_COLUMN_PARTIALS, blocks * cols, () -> {
                kernel.s0 = cols;
                kernel.s1 = rows;
                bufferArguments(src, partials);
            });
            sumBlocks(partials, out, blocks, cols);
        } finally {
            free(partials);
        }
    }

    private void sumBlocks(OpenClBuffer partials, OpenClBuffer out, int blocks, int cols) {
        run(DeviceKernel.OP_SUM_BLOCKS, cols, () -> {
            kernel.s0 = cols;
            kernel.s1 = blocks;
            bufferArguments(partials, out);
        });
    }

    // ----------------------------------------------------------------------------------------
    // Norms

    @Override
    protected void doLayerNormForward(OpenClBuffer x, OpenClBuffer gamma, OpenClBuffer beta, OpenClBuffer y,
                                      OpenClBuffer mean, OpenClBuffer rstd, int rows, int cols, float eps) {
        rowOp(DeviceKernel.OP_LAYER_NORM, DeviceKernel.OP_LAYER_NORM_GROUPS, rows, cols, () -> {
            normRowArguments(x, gamma, rows, cols);
            kernel.a2 = offsetOrNone(beta);
            kernel.a3 = y.poolOffset();
            kernel.a4 = mean.poolOffset();
            kernel.a5 = rstd.poolOffset();
            kernel.f0 = eps;
        });
    }

    @Override
    protected void doLayerNormBackward(OpenClBuffer x, OpenClBuffer gamma, OpenClBuffer mean, OpenClBuffer rstd,
                                       OpenClBuffer dy, OpenClBuffer dx, OpenClBuffer dgamma, OpenClBuffer dbeta,
                                       int rows, int cols) {
        // Parameter gradients first: dx may be dy.
        if (dgamma != null || dbeta != null) {
            normParameterSums(DeviceKernel.OP_LAYER_NORM_SUMS_DIRECT, DeviceKernel.OP_LAYER_NORM_PARTIALS, rows, cols,
                    dgamma, dbeta, () -> {
                        kernel.a0 = x.poolOffset();
                        kernel.a2 = mean.poolOffset();
                        kernel.a3 = rstd.poolOffset();
                        kernel.a4 = dy.poolOffset();
                    });
        }
        if (dx != null) {
            rowOp(DeviceKernel.OP_LAYER_NORM_DX, DeviceKernel.OP_LAYER_NORM_DX_GROUPS, rows, cols, () -> {
                normRowArguments(x, gamma, rows, cols);
                kernel.a2 = mean.poolOffset();
                kernel.a3 = rstd.poolOffset();
                kernel.a4 = dy.poolOffset();
                kernel.a5 = dx.poolOffset();
            });
        }
    }

    @Override
    protected void doRmsNormForward(OpenClBuffer x, OpenClBuffer gamma, OpenClBuffer y, OpenClBuffer rrms,
                                    int rows, int cols, float eps) {
        rowOp(DeviceKernel.OP_RMS_NORM, DeviceKernel.OP_RMS_NORM_GROUPS, rows, cols, () -> {
            normRowArguments(x, gamma, rows, cols);
            kernel.a3 = y.poolOffset();
            kernel.a4 = rrms.poolOffset();
            kernel.f0 = eps;
        });
    }

    @Override
    protected void doRmsNormBackward(OpenClBuffer x, OpenClBuffer gamma, OpenClBuffer rrms, OpenClBuffer dy,
                                     OpenClBuffer dx, OpenClBuffer dgamma, int rows, int cols) {
        if (dgamma != null) {
            normParameterSums(DeviceKernel.OP_RMS_NORM_SUMS_DIRECT, DeviceKernel.OP_RMS_NORM_PARTIALS, rows, cols,
                    dgamma, null, () -> {
                        kernel.a0 = x.poolOffset();
                        kernel.a2 = rrms.poolOffset();
                        kernel.a4 = dy.poolOffset();
                    });
        }
        if (dx != null) {
            rowOp(DeviceKernel.OP_RMS_NORM_DX, DeviceKernel.OP_RMS_NORM_DX_GROUPS, rows, cols, () -> {
                normRowArguments(x, gamma, rows, cols);
                kernel.a2 = rrms.poolOffset();
                kernel.a4 = dy.poolOffset();
                kernel.a5 = dx.poolOffset();
            });
        }
    }

    /** The arguments every norm row op shares: its shape, x at a0 and gamma (or none) at a1. */
    private void normRowArguments(OpenClBuffer x, OpenClBuffer gamma, int rows, int cols) {
        kernel.s0 = cols;
        kernel.s1 = rows;
        bufferArguments(x, gamma);
    }

    /**
     * A norm's parameter gradients, column sums over the rows into {@code gradA} (a5) and {@code
     * gradB} (a6; either may be null): one launch of {@code directOp} where {@link #directSums}, else
     * {@code partialsOp}'s block partials summed in {@link Blocking} order. {@code inputs} sets the
     * op's input offsets; the shape is set here.
     */
    private void normParameterSums(int directOp, int partialsOp, int rows, int cols, OpenClBuffer gradA,
                                   OpenClBuffer gradB, Runnable inputs) {
        if (directSums(rows)) {
            run(directOp, cols, () -> {
                kernel.s0 = cols;
                kernel.s1 = rows;
                inputs.run();
                kernel.a5 = offsetOrNone(gradA);
                kernel.a6 = offsetOrNone(gradB);
            });
            return;
        }
        int blocks = Blocking.blocks(rows);
        OpenClBuffer partialA = gradA == null ? null : scratch(Math.multiplyExact(blocks, cols));
        OpenClBuffer partialB = gradB == null ? null : scratch(Math.multiplyExact(blocks, cols));
        try {
            run(partialsOp, blocks * cols, () -> {
                kernel.s0 = cols;
                kernel.s1 = rows;
                inputs.run();
                kernel.a5 = offsetOrNone(partialA);
                kernel.a6 = offsetOrNone(partialB);
            });
            if (gradA != null) {
                sumBlocks(partialA, gradA, blocks, cols);
            }
            if (gradB != null) {
                sumBlocks(partialB, gradB, blocks, cols);
            }
        } finally {
            free(partialA);
            free(partialB);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Reductions

    @Override
    protected void doReduceRows(RowReduction reduction, OpenClBuffer x, OpenClBuffer out, int rows, int cols) {
        run(DeviceKernel.OP_REDUCE_ROWS, rows, () -> {
            kernel.s0 = cols;
            kernel.s1 = reduction.ordinal();
            bufferArguments(x, out);
        });
    }

    // Channel statistics and batch-style normalisation.

    /**
     * Per-channel block partials in {@code mode} ({@link DeviceKernel#CHANNEL_SUM}...), then each
     * channel's blocks summed in order and divided by {@code divisor}, into {@code outA} (and
     * {@code outB} for the gradient mode).
     */
    private void channelReduce(int mode, OpenClBuffer x, OpenClBuffer center, OpenClBuffer dy, OpenClBuffer outA,
                               OpenClBuffer outB, float divisor, int batch, int channels, int spatial) {
        int blocks = Blocking.blocks(batch);
        OpenClBuffer partialA = outA == null ? null : scratch(Math.multiplyExact(blocks, channels));
        OpenClBuffer partialB = outB == null ? null : scratch(Math.multiplyExact(blocks, channels));
        try {
            run(DeviceKernel.OP_CHANNEL_PARTIALS, blocks * channels, () -> {
                channelArguments(x, center, channels, spatial);
                kernel.s2 = batch;
                kernel.s3 = mode;
                kernel.a2 = offsetOrNone(dy);
                kernel.a3 = offsetOrNone(partialA);
                kernel.a4 = offsetOrNone(partialB);
            });
            if (outA != null) {
                channelFinish(partialA, outA, divisor, blocks, channels);
            }
            if (outB != null) {
                channelFinish(partialB, outB, divisor, blocks, channels);
            }
        } finally {
            free(partialA);
            free(partialB);
        }
    }

    /** The arguments every channel op shares: its shape, x at a0 and the centre (or none) at a1. */
    private void channelArguments(OpenClBuffer x, OpenClBuffer center, int channels, int spatial) {
        kernel.s0 = channels;
        kernel.s1 = spatial;
        bufferArguments(x, center);
    }

    private void channelFinish(OpenClBuffer partials, OpenClBuffer out, float divisor, int blocks, int channels) {
        run(DeviceKernel.OP_CHANNEL_FINISH, channels, () -> {
            kernel.s0 = channels;
            kernel.s2 = blocks;
            bufferArguments(partials, out);
            kernel.f0 = divisor;
        });
    }

    @Override
    protected void doChannelMoments(OpenClBuffer x, OpenClBuffer mean, OpenClBuffer var, int batch, int channels,
                                    int spatial) {
        float count = (float) ((long) batch * spatial);
        channelReduce(DeviceKernel.CHANNEL_SUM, x, null, null, mean, null, count, batch, channels, spatial);
        channelReduce(DeviceKernel.CHANNEL_SQUARED_DEVIATIONS, x, mean, null, var, null, count, batch, channels,
                spatial);
    }

    @Override
    protected void doChannelNormalize(OpenClBuffer x, OpenClBuffer center, OpenClBuffer scale, OpenClBuffer shift,
                                      OpenClBuffer y, int batch, int channels, int spatial) {
        run(DeviceKernel.OP_CHANNEL_NORMALIZE, batch * channels * spatial, () -> {
            channelArguments(x, center, channels, spatial);
            kernel.a2 = scale.poolOffset();
            kernel.a3 = offsetOrNone(shift);
            kernel.a4 = y.poolOffset();
        });
    }

    @Override
    protected void doChannelGradientSums(OpenClBuffer x, OpenClBuffer center, OpenClBuffer dy, OpenClBuffer sumDy,
                                         OpenClBuffer sumDyX, int batch, int channels, int spatial) {
        channelReduce(DeviceKernel.CHANNEL_GRADIENT, x, center, dy, sumDy, sumDyX, 1f, batch, channels, spatial);
    }

    @Override
    protected void doChannelNormalizeBackward(OpenClBuffer x, OpenClBuffer center, OpenClBuffer dy,
                                              OpenClBuffer dyScale, OpenClBuffer xScale, OpenClBuffer shift,
                                              OpenClBuffer dx, int batch, int channels, int spatial) {
        run(DeviceKernel.OP_CHANNEL_BACKWARD, batch * channels * spatial, () -> {
            channelArguments(x, center, channels, spatial);
            kernel.a2 = dy.poolOffset();
            kernel.a3 = dyScale.poolOffset();
            kernel.a4 = offsetOrNone(xScale);
            kernel.a5 = offsetOrNone(shift);
            kernel.a6 = dx.poolOffset();
        });
    }

    @Override
    protected void doEvoNormForward(org.flowbench.compute.device.EvoNormKind kind, OpenClBuffer x, OpenClBuffer v,
                                    OpenClBuffer rowStat, OpenClBuffer channelStat, OpenClBuffer u, int batch,
                                    int channels, int spatial, int groups) {
        run(DeviceKernel.OP_EVO_NORM, batch * channels * spatial, () -> {
            evoNormArguments(kind, x, v, rowStat, channelStat, channels, spatial, groups);
            kernel.a4 = u.poolOffset();
            kernel.a8 = -1;
        });
    }

    @Override
    protected void doEvoNormBackward(org.flowbench.compute.device.EvoNormKind kind, OpenClBuffer x,
                                     OpenClBuffer v, OpenClBuffer rowStat, OpenClBuffer channelStat, OpenClBuffer g,
                                     OpenClBuffer dx, OpenClBuffer dvTerm, OpenClBuffer rowTerm,
                                     OpenClBuffer channelTerm, int batch, int channels, int spatial, int groups) {
        run(DeviceKernel.OP_EVO_NORM_BACKWARD, batch * channels * spatial, () -> {
            evoNormArguments(kind, x, v, rowStat, channelStat, channels, spatial, groups);
            kernel.a4 = g.poolOffset();
            kernel.a5 = dx.poolOffset();
            kernel.a6 = dvTerm.poolOffset();
            kernel.a7 = rowTerm.poolOffset();
            kernel.a8 = offsetOrNone(channelTerm);
        });
    }

    /** The arguments both EvoNorm passes share: the shape, the kind, and x, v and the statistics at a0 to a3. */
    private void evoNormArguments(org.flowbench.compute.device.EvoNormKind kind, OpenClBuffer x, OpenClBuffer v,
                                  OpenClBuffer rowStat, OpenClBuffer channelStat, int channels, int spatial,
                                  int groups) {
        kernel.s0 = channels;
        kernel.s1 = spatial;
        kernel.s2 = channels / groups * spatial;
        kernel.s3 = kind == org.flowbench.compute.device.EvoNormKind.B0 ? 0 : 1;
        bufferArguments(x, v, rowStat, channelStat);
    }

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    @Override
    protected void doPermuteHeads(OpenClBuffer src, OpenClBuffer dst, int batch, int seq, int parts, int heads,
                                  int headDim, boolean split) {
        run(split ? DeviceKernel.OP_SPLIT_HEADS : DeviceKernel.OP_MERGE_HEADS, dst.length(), () -> {
            kernel.s0 = batch;
            kernel.s1 = seq;
            kernel.s2 = heads;
            kernel.s3 = headDim;
            bufferArguments(src, dst);
        });
    }

    @Override
    protected void doBatchedMatmul(OpenClBuffer a, boolean transA, OpenClBuffer b, boolean transB, OpenClBuffer c,
                                   int batch, int m, int k, int n, float alpha) {
        if (tiled(batch, m, n, k)) {
            gemmTiled(a.poolOffset(), transA ? 1 : k, transA ? m : 1, m * k, b.poolOffset(), transB ? 1 : n,
                    transB ? k : 1, k * n, c.poolOffset(), -1, batch, m, n, k, alpha);
            return;
        }
        run(DeviceKernel.OP_BATCHED_MATMUL, c.length(), () -> {
            kernel.s0 = m;
            kernel.s1 = k;
            kernel.s2 = n;
            kernel.s3 = (transA ? 2 : 0) + (transB ? 1 : 0);
            bufferArguments(a, b, c);
            kernel.f0 = alpha;
        });
    }

    @Override
    protected void doCausalSoftmax(OpenClBuffer scores, OpenClBuffer probs, int rows, int seq) {
        run(DeviceKernel.OP_CAUSAL_SOFTMAX, rows, () -> {
            kernel.s0 = seq;
            bufferArguments(scores, probs);
        });
    }

    @Override
    protected void doSoftmaxBackward(OpenClBuffer probs, OpenClBuffer dprobs, OpenClBuffer dscores, int rows,
                                     int cols) {
        run(DeviceKernel.OP_SOFTMAX_BACKWARD, rows, () -> {
            kernel.s0 = cols;
            bufferArguments(probs, dprobs, dscores);
        });
    }

    @Override
    protected void doFlowAttentionForward(OpenClBuffer qkv, OpenClBuffer out, OpenClBuffer saved, int bh, int seq,
                                          int headDim) {
        OpenClBuffer state = scratch(Math.multiplyExact(bh, headDim * headDim));
        try {
            flowPhase(DeviceKernel.OP_FLOW_SCAN, bh, qkv, out, saved, state, null, bh, seq, headDim);
            flowPhase(DeviceKernel.OP_FLOW_AGGREGATE, bh * headDim, qkv, out, saved, state, null, bh, seq, headDim);
        } finally {
            free(state);
        }
    }

    @Override
    protected void doFlowAttentionBackward(OpenClBuffer qkv, OpenClBuffer saved, OpenClBuffer dout,
                                           OpenClBuffer dqkv, int bh, int seq, int headDim) {
        OpenClBuffer state = scratch(Math.multiplyExact(bh, headDim * Math.max(headDim, 4)));
        try {
            int items = bh * headDim;
            flowPhase(DeviceKernel.OP_FLOW_BACK_ROWS, items, qkv, dout, saved, state, dqkv, bh, seq, headDim);
            flowPhase(DeviceKernel.OP_FLOW_BACK_COLUMNS, items, qkv, dout, saved, state, dqkv, bh, seq, headDim);
            flowPhase(DeviceKernel.OP_FLOW_BACK_SCAN, bh, qkv, dout, saved, state, dqkv, bh, seq, headDim);
        } finally {
            free(state);
        }
    }

    /** One phase of flow attention over {@code items} work items (see DeviceKernel's flow ops). */
    private void flowPhase(int op, int items, OpenClBuffer qkv, OpenClBuffer outOrDout, OpenClBuffer saved,
                           OpenClBuffer state, OpenClBuffer dqkv, int bh, int seq, int headDim) {
        run(op, items, () -> {
            kernel.s0 = seq;
            kernel.s1 = headDim;
            kernel.s2 = bh * seq * headDim;
            bufferArguments(qkv, outOrDout, saved, state, dqkv);
        });
    }

    @Override
    protected void doCrossEntropy(OpenClBuffer logits, OpenClBuffer targets, OpenClBuffer losses,
                                  OpenClBuffer dlogits, int rows, int classes, float gradScale) {
        run(DeviceKernel.OP_CROSS_ENTROPY, rows, () -> {
            kernel.s0 = classes;
            bufferArguments(logits, targets, losses, dlogits);
            kernel.f0 = gradScale;
        });
    }

    @Override
    protected void doGatherRows(OpenClBuffer table, OpenClBuffer indices, OpenClBuffer out, int rows, int cols,
                                int tableRows, boolean accumulate) {
        run(DeviceKernel.OP_GATHER_ROWS, rows * cols, () -> {
            kernel.s0 = cols;
            kernel.s1 = tableRows;
            kernel.s2 = accumulate ? 1 : 0;
            bufferArguments(table, indices, out);
        });
    }

    @Override
    protected void doScatterAddRows(OpenClBuffer dout, OpenClBuffer indices, OpenClBuffer dtable, int rows,
                                    int cols, int tableRows) {
        run(DeviceKernel.OP_SCATTER_ADD_ROWS, tableRows * cols, () -> {
            kernel.s0 = cols;
            kernel.s1 = rows;
            bufferArguments(dout, indices, dtable);
        });
    }
}
