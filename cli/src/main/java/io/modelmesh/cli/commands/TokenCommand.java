package io.modelmesh.cli.commands;

import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;
import io.modelmesh.api.TokenInfo;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.cli.Durations;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmctl token create|list|revoke}: API tokens (admin scope). */
@Command(name = "token", header = "Create, list and revoke API tokens (needs an admin token).",
        description = {"Scopes: read (list, status, history, monitoring), deploy (register, deploy, canary, promote, "
                + "rollback, shadow, ab, apply; includes read), admin (everything), node (what data-plane nodes join "
                + "with), predict (predictions on nodes), preview (predict, plus preview calls of versions no route "
                + "serves yet). A token is shown once, when it is created; the control plane "
                + "keeps only its hash.", ""},
        subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class},
        synopsisSubcommandLabel = "(create | list | revoke)")
public final class TokenCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: mmctl token create NAME "
                + "--scope SCOPE, mmctl token list or mmctl token revoke NAME");
    }

    /** Candidates for --scope completion and help. */
    static final class Scopes extends ArrayList<String> {
        Scopes() {
            super(java.util.Arrays.stream(Scope.values()).map(Scope::wireName).toList());
        }
    }

    @Command(name = "create", sortOptions = false, header = "Create a token and print it (shown this once).",
            description = {"Example: mmctl token create ci-deploy --scope deploy --expires 90d", ""})
    public static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Unique among active tokens; recorded as the "
                + "author of what the token changes.")
        String name;

        @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE", completionCandidates = Scopes.class,
                description = "What the token may do (repeatable or comma-separated): ${COMPLETION-CANDIDATES}.")
        java.util.List<String> scopes;

        @Option(names = "--expires", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "Lifetime, e.g. 12h or 30d (default: does not expire).")
        Duration expires;

        @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Requests per second this token may make "
                + "(on each server; default: unlimited). Over it: HTTP 429 with Retry-After.")
        Double rate;

        @Option(names = "--burst", paramLabel = "N", description = "Requests allowed at once above --rate (default: "
                + "the rate rounded up, at least 1).")
        Integer burst;

        @Override
        public Integer call() {
            RateLimit limit = null;
            if (rate != null) {
                if (!(rate > 0)) {
                    throw usage("--rate must be a positive number of requests per second, got " + rate);
                }
                int b = burst != null ? burst : (int) Math.max(1, Math.ceil(rate));
                if (b < 1) {
                    throw usage("--burst must be at least 1, got " + b);
                }
                limit = new RateLimit(rate, b);
            } else if (burst != null) {
                throw usage("--burst needs --rate");
            }
            Long seconds = expires == null ? null : (long) Durations.wholeSeconds("--expires", expires);
            CreatedToken created = client().createToken(new TokenRequest(name, scopes, seconds, limit));
            Printer p = printer();
            p.print(created, TokenCommand::created);
            if (output.format().forPeople()) {
                p.note("save the token now: it is not shown again (pass it with MM_TOKEN or --token-file)");
            }
            return ExitCodes.OK;
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Command(name = "list", aliases = "ls", header = "List tokens (never their secrets).")
    public static final class List extends ClientCommand {
        @Option(names = "--all", description = "Include revoked tokens.")
        boolean all;

        @Override
        public Integer call() {
            printer().print(client().tokens(all), TokenCommand::table);
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", header = "Revoke a token: it stops working at once on this control plane, within "
            + "seconds everywhere.")
    public static final class Revoke extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.")
        String name;

        @Option(names = "--ignore-not-found", description = "Succeed when no active token has the name.")
        boolean ignoreNotFound;

        @Override
        public Integer call() {
            try {
                TokenInfo revoked = client().revokeToken(name);
                printer().print(revoked, t -> TokenCommand.table(java.util.List.of(t)));
            } catch (ModelMeshException.NotFoundException e) {
                if (!ignoreNotFound) {
                    throw e;
                }
                printer().note("no active token named '" + name + "'");
            }
            return ExitCodes.OK;
        }
    }

    static java.util.List<Block> created(CreatedToken c) {
        TokenInfo t = c.info();
        return java.util.List.of(Details.builder()
                .add("token", c.token())
                .add("name", t.name())
                .add("scopes", String.join(",", t.scopes()))
                .add("expires", t.expiresAt() == null ? "never" : Format.instant(t.expiresAt()))
                .add("rate limit", rate(t.rateLimit()))
                .build());
    }

    static java.util.List<Block> table(java.util.List<TokenInfo> tokens) {
        if (tokens.isEmpty()) {
            return java.util.List.of();
        }
        Table.Builder t = Table.of("NAME", "SCOPES", "CREATED", "BY", "EXPIRES", "LAST USED", "RATE", "STATE");
        for (TokenInfo i : tokens) {
            t.row(i.name(), String.join(",", i.scopes()), Format.instant(i.createdAt()), i.createdBy(),
                    i.expiresAt() == null ? Cell.dim("never") : Format.instant(i.expiresAt()),
                    i.lastUsedAt() == null ? Cell.dim("-") : Format.instant(i.lastUsedAt()), rate(i.rateLimit()),
                    i.revokedAt() != null ? Cell.dim("revoked") : Cell.good("active"));
        }
        return java.util.List.of(t.build());
    }

    private static String rate(RateLimit r) {
        return r == null ? "-" : Format.value(r.perSecond()) + "/s burst " + r.burst();
    }
}
