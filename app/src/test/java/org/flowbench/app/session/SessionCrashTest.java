package org.flowbench.app.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM killed (SIGKILL) in the middle of saving leaves a session that opens whole: the old one or the new one. */
class SessionCrashTest {

    @TempDir
    Path dir;

    @Test
    void killingTheJvmMidSaveNeverLeavesAHalfWrittenSession() throws Exception {
        Path file = dir.resolve("crash.flowbench.json");
        long[] delaysMillis = {0, 5, 13};
        for (long delay : delaysMillis) {
            Process saver = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SessionSaveLoop.class.getName(), file.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            AtomicLong lastSaved = new AtomicLong();
            CountDownLatch threeSaved = new CountDownLatch(3);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(saver.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lastSaved.set(Long.parseLong(line.strip()));
                        threeSaved.countDown();
                    }
                } catch (IOException closedByTheKill) {
                    // the pipe closes when the process is destroyed
                }
            });
            reader.start();
            // Let it finish a few saves so there is an old session and a backup, then kill it mid-stream.
            assertThat(threeSaved.await(60, TimeUnit.SECONDS)).as("three saves done").isTrue();
            Thread.sleep(delay);
            long reportedBeforeKill = lastSaved.get();
            saver.destroyForcibly();
            assertThat(saver.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            SessionFiles.Opened opened = SessionFiles.open(file);
            assertThat(opened.dropped()).as("after a kill %d ms into saving", delay).isEmpty();
            assertThat(opened.from()).isEqualTo(file);
            long save = (Long) opened.session().labParameters().get("trajectories").get("save");
            // Never older than a save reported done before the kill.
            assertThat(save).isGreaterThanOrEqualTo(reportedBeforeKill);
            assertThat(opened.session()).isEqualTo(SessionSaveLoop.session(save));
            Session backup = SessionFiles.read(SessionFiles.backupOf(file));
            // The save before, or the same one when the kill fell between keeping the backup and moving the new file in.
            assertThat((Long) backup.labParameters().get("trajectories").get("save")).isBetween(save - 1, save);
        }
    }
}
