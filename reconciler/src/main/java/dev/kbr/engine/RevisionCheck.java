package dev.kbr.engine;

import dev.kbr.model.Diagnostic;
import dev.kbr.model.Platform;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.RevisionChoice;
import dev.kbr.validate.ValidationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's validation, completed with its {@code ResourceBinding}: a binding that pins a
 * version its Promise has no revision of makes the request fail, as Kratix fails its reconcile
 * ({@code FailedPromiseRevisionLookup} in {@code dynamic_resource_request_controller.go}), so the
 * request keeps what it delivered while the others carry on.
 */
final class RevisionCheck {
    private RevisionCheck() {}

    /**
     * The validation of {@code request} with the binding error added, if any.
     *
     * @param platform the platform, which defines the request's Promise
     * @param request a request of one of the platform's Promises
     * @param validation its validation against its Promise's API
     */
    static ValidationResult withBinding(Platform platform, ResourceRequest request, ValidationResult validation) {
        if (platform.revisionFor(request) instanceof RevisionChoice.Missing missing) {
            List<Diagnostic> diagnostics = new ArrayList<>(validation.diagnostics());
            diagnostics.add(missing.diagnostic());
            return new ValidationResult(validation.object(), diagnostics);
        }
        return validation;
    }
}
