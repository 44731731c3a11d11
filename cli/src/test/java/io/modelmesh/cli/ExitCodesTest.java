package io.modelmesh.cli;

import io.modelmesh.api.ErrorBody;
import io.modelmesh.sdk.ModelMeshException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one mapping from exceptions to exit codes. */
class ExitCodesTest {
    private static ErrorBody body(int status) {
        return new ErrorBody(status, "e", "m", null);
    }

    @Test
    void codesAreTheDocumentedNumbers() {
        assertEquals(0, ExitCodes.OK);
        assertEquals(1, ExitCodes.FAILURE);
        assertEquals(2, ExitCodes.INVALID_INPUT);
        assertEquals(3, ExitCodes.NOT_FOUND);
        assertEquals(4, ExitCodes.CONFLICT);
        assertEquals(5, ExitCodes.UNAVAILABLE);
    }

    @Test
    void sdkExceptionsMapByKind() {
        assertEquals(2, ExitCodes.of(new ModelMeshException.InvalidRequestException(body(400))));
        assertEquals(2, ExitCodes.of(new ModelMeshException.InvalidRequestException(body(422))));
        assertEquals(2, ExitCodes.of(new ModelMeshException.PayloadTooLargeException(body(413))));
        assertEquals(3, ExitCodes.of(new ModelMeshException.NotFoundException(body(404))));
        assertEquals(4, ExitCodes.of(new ModelMeshException.ConflictException(body(409))));
        assertEquals(5, ExitCodes.of(new ModelMeshException.UnavailableException(body(503))));
        assertEquals(6, ExitCodes.of(new ModelMeshException.UnauthorizedException(body(401))));
        assertEquals(6, ExitCodes.of(new ModelMeshException.UnauthorizedException(body(403))));
        assertEquals(1, ExitCodes.of(new ModelMeshException(body(500))));
    }

    @Test
    void cliExceptionsCarryTheirCode() {
        assertEquals(2, ExitCodes.of(CliException.invalidInput("x")));
        assertEquals(5, ExitCodes.of(CliException.unavailable("x")));
        assertEquals(1, ExitCodes.of(CliException.failure("x")));
        assertEquals(4, ExitCodes.of(new CliException(ExitCodes.CONFLICT, "x")));
    }

    @Test
    void usageErrorsAndEverythingElse() {
        CommandLine cl = new CommandLine(new Object() {
            @CommandLine.Option(names = "-x")
            int x;
        });
        assertEquals(2, ExitCodes.of(new CommandLine.ParameterException(cl, "bad")));
        assertEquals(1, ExitCodes.of(new IllegalStateException("bug")));
        assertEquals(1, ExitCodes.of(new NullPointerException()));
    }

    @Test
    void messagesOfUnexpectedExceptionsNameTheirClass() {
        assertEquals("m", ErrorHandler.message(new ModelMeshException.NotFoundException(body(404))));
        assertEquals("IllegalStateException: bug", ErrorHandler.message(new IllegalStateException("bug")));
        assertEquals("java.lang.NullPointerException", ErrorHandler.message(new NullPointerException()));
    }
}
