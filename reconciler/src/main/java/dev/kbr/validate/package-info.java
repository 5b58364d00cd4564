/**
 * Checks Promises and resource requests before any pipeline runs, the way a Kratix platform
 * cluster would: {@link dev.kbr.validate.PromiseValidator} mirrors the Promise admission webhook
 * and the pipeline rules of Kratix; {@link dev.kbr.validate.RequestValidator} mirrors what the
 * Kubernetes API server does to a custom resource on create (structural pruning, defaulting and
 * OpenAPI v3 schema validation of {@code apiextensions-apiserver}).
 *
 * <p>Results are values: every problem becomes a {@link dev.kbr.model.Diagnostic} worded for the
 * author of the file; nothing here throws on bad input or prints. May import {@code model},
 * Jackson and the JSON Schema library ({@code com.networknt}); the schema library is used only in
 * this package.
 */
package dev.kbr.validate;
