/**
 * The S3 adapter for bucket state stores (Kratix's BucketStateStore, read by Flux's {@code Bucket}
 * source): lists the objects under the store's prefix, keeps kbr's records in one object that is
 * written last as the commit point, and writes a pass's changes in an order every reader can
 * build (new and changed objects, then deletions, then the records), while a lease object written
 * with conditional requests keeps other writers out. The only package that uses the AWS SDK; its
 * exceptions are turned into messages naming the store here and never leave it. May import
 * {@code state}, {@code state.layout}, {@code model} and the SDK.
 */
package dev.kbr.state.bucket;
