/**
 * The Docker engine adapter of {@link dev.kbr.pipeline.PipelineRunner}: runs each pipeline
 * container in a fresh Docker container, moving {@code /kratix} and the pipeline's emptyDir
 * volumes in and out as tar archives. The only user of the docker-java client library; none of
 * its types leave this package. May import {@code pipeline}, {@code model} and docker-java.
 */
package dev.kbr.pipeline.docker;
