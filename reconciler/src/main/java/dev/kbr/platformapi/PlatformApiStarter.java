package dev.kbr.platformapi;

import java.io.IOException;

/** Starts the platform API of one pass; supplied by the composition root. */
@FunctionalInterface
public interface PlatformApiStarter {
    /**
     * Starts serving.
     *
     * @param view what reads see first
     * @param admission checks requests created or updated through the API
     * @param secrets where Secrets read by name come from
     * @return the running API; close it when the pass ends
     * @throws IOException when it cannot listen
     */
    PlatformApi start(ApiView view, RequestAdmission admission, SecretSource secrets) throws IOException;
}
