package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmctl undeploy NAME}: no version of the model serves traffic any more. */
@Command(name = "undeploy", header = "Take a model off every node: no version serves its traffic.",
        description = {"Writes a revision that routes the model to no version and pushes it to the nodes, which stop "
                + "serving it. Its versions stay registered: 'mmctl deploy NAME --version V' or 'mmctl rollback NAME' "
                + "serves it again, and 'mmctl delete NAME' can now delete it. Idempotent: a model that serves no "
                + "traffic already (or was never deployed) gets 'nothing to undeploy' and exit 0; an unknown model "
                + "is exit 3 unless --ignore-not-found.", ""})
public final class UndeployCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--ignore-not-found", description = "Exit 0 when the model is not registered.")
    boolean ignoreNotFound;

    @Override
    public Integer call() {
        ModelMeshClient client = client();
        DeploymentStatus d;
        try {
            d = client.undeploy(name);
        } catch (ModelMeshException.ConflictException | ModelMeshException.NotFoundException e) {
            if (servesTraffic(client)) {
                throw e;
            }
            printer().note("nothing to undeploy: model '" + name + "' serves no traffic");
            return ExitCodes.OK;
        }
        printer().print(d, DeployCommand::table);
        return ExitCodes.OK;
    }

    /**
     * Whether the model's current route sends traffic to a version; an unknown model throws its 404, or with
     * --ignore-not-found counts as serving nothing.
     */
    private boolean servesTraffic(ModelMeshClient client) {
        try {
            return client.deployment(name).route().targets().stream().anyMatch(t -> t.weight() > 0);
        } catch (ModelMeshException.NotFoundException noDeployment) {
            try {
                client.model(name);
            } catch (ModelMeshException.NotFoundException unknown) {
                if (!ignoreNotFound) {
                    throw unknown;
                }
            }
            return false;
        }
    }
}
