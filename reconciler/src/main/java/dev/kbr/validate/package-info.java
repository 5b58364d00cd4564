/**
 * Checks Promises and resource requests before any pipeline runs, the way a Kratix platform
 * cluster would: {@link dev.kbr.validate.PromiseValidator} mirrors the Promise admission webhook
 * and the pipeline rules of Kratix; {@link dev.kbr.validate.RequestValidator} mirrors what the
 * Kubernetes API server does to a custom resource on create (structural pruning, defaulting and
 * OpenAPI v3 schema validation of {@code apiextensions-apiserver}, then the {@code
 * x-kubernetes-validations} CEL rules).
 *
 * <p>Results are values: every problem becomes a {@link dev.kbr.model.Diagnostic} worded for the
 * author of the file; nothing here throws on bad input or prints. May import {@code model},
 * Jackson, the JSON Schema library ({@code com.networknt}) and Google's CEL for Java ({@code
 * dev.cel}); both libraries are used only in this package.
 */
package dev.kbr.validate;
