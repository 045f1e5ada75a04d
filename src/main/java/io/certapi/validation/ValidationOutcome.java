package io.certapi.validation;

import io.certapi.core.ProblemType;
import java.util.List;

/**
 * The result of one validation attempt.
 *
 * @param valid     whether the challenge was met
 * @param errorType the problem type when it was not
 * @param detail    what was wrong, naming the URL, address and what came back
 * @param records   the transcript, in order
 */
public record ValidationOutcome(boolean valid, ProblemType errorType, String detail,
        List<ValidationRecord> records) {

    /** A success. */
    public static ValidationOutcome success(List<ValidationRecord> records) {
        return new ValidationOutcome(true, null, null, List.copyOf(records));
    }

    /** A failure. */
    public static ValidationOutcome failure(ProblemType type, String detail,
            List<ValidationRecord> records) {
        return new ValidationOutcome(false, type, detail, List.copyOf(records));
    }
}
