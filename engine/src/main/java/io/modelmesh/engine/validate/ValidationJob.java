package io.modelmesh.engine.validate;

import java.util.List;

/**
 * The one job a child validates, sent as one JSON line on its stdin.
 *
 * @param framework      wire name of the framework
 * @param artifact       absolute path of the file
 * @param features       feature names given for the model
 * @param intraOpThreads engine threads per inference call
 * @param nativeCacheDir where PyTorch's native libraries are extracted (null: DJL's default)
 * @param timeoutMillis  the time limit; the child halts itself a second after it, in case its parent cannot
 */
record ValidationJob(String framework, String artifact, List<String> features, int intraOpThreads,
                     String nativeCacheDir, long timeoutMillis) {
}
