package io.modelmesh.engine.validate;

import io.modelmesh.api.ModelSchema;

import java.time.Duration;

/** What validating one artifact in a child process found. */
public sealed interface Verdict {

    /**
     * The artifact loads, warms up and has this schema.
     *
     * @param took    from handing over the job to the answer
     * @param peakRss the child's largest resident memory seen, in bytes (-1 where it cannot be read)
     */
    record Valid(ModelSchema schema, Duration took, long peakRss) implements Verdict {
    }

    /**
     * The artifact is refused: the message says why and, for a limit, which setting raises it.
     *
     * @param reason what stopped it
     */
    record Refused(Reason reason, String message) implements Verdict {
    }

    /** Nothing was decided about the artifact (the validator is busy or cannot start a process); retry later. */
    record Unavailable(String message) implements Verdict {
    }

    /** Why an artifact was refused. */
    enum Reason {
        /** The engine says the file is not a model it serves (or its warm-up fails). */
        INVALID_MODEL,
        /** Loading and warming it took longer than the time limit. */
        TIME_LIMIT,
        /** The validating process grew past the memory limit (or ran out of heap). */
        MEMORY_LIMIT,
        /** The validating process died while loading it (a crash in native code). */
        CRASHED
    }
}
