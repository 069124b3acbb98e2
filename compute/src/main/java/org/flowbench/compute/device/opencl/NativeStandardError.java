package org.flowbench.compute.device.opencl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.util.concurrent.Callable;

/**
 * Runs native code with the process's standard error (file descriptor 2) sent to the null
 * device. Aparapi's native library prints a warning with {@code fprintf(stderr)} for every
 * OpenCL platform newer than the ones it was tested with (every OpenCL 3.0 driver), on every
 * command that looks for devices; no logger or setting turns it off. Flowbench reports what
 * it finds itself ({@code flowbench devices}), so that line is only noise. On systems without
 * POSIX file descriptors, or when the C library cannot be reached, the call runs unchanged.
 */
final class NativeStandardError {

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;

    /** The few C library calls needed to swap file descriptor 2. */
    interface CLibrary extends Library {
        int dup(int fd);

        int dup2(int oldFd, int newFd);

        int open(String path, int flags);

        int close(int fd);

        int fflush(Pointer stream);
    }

    private static final CLibrary C = load();

    private NativeStandardError() {
    }

    private static CLibrary load() {
        if (Platform.isWindows()) {
            return null;
        }
        try {
            return Native.loadLibrary("c", CLibrary.class);
        } catch (Throwable e) {
            return null;
        }
    }

    /** The result of {@code call}, with whatever native code prints on standard error meanwhile discarded. */
    static synchronized <T> T silenced(Callable<T> call) throws Exception {
        if (C == null) {
            return call.call();
        }
        System.err.flush();
        int saved = C.dup(STDERR);
        int nul = saved < 0 ? -1 : C.open("/dev/null", O_WRONLY);
        if (nul < 0 || C.dup2(nul, STDERR) < 0) {
            closeIfOpen(nul);
            closeIfOpen(saved);
            return call.call();
        }
        C.close(nul);
        try {
            return call.call();
        } finally {
            C.fflush(null);
            System.err.flush();
            C.dup2(saved, STDERR);
            C.close(saved);
        }
    }

    private static void closeIfOpen(int fd) {
        if (fd >= 0) {
            C.close(fd);
        }
    }
}
