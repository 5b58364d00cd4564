package dev.kbr.state.bucket;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * kbr's records of one bucket state store, kept as one object ({@code
 * <path>/.kbr/records/<store name>.tar.gz}) instead of one object per record: a pass reads them
 * with one request, and writing them is one request, the pass's commit point. A gzipped tar any
 * {@code tar} lists, written the same byte for byte from the same content (entries sorted, times,
 * owners and modes fixed), so unchanged records are never rewritten.
 *
 * <p>Entries: {@code records/<path under .kbr/>} for every record file, and {@code content-ids},
 * lines of {@code ETAG CONTENT_ID} telling which kbr content id each ETag seen in the bucket
 * belongs to, so that a pass computes no id it knew already (S3 lists ETags, not kbr's ids).
 *
 * @param records path under the records folder to bytes
 * @param contentIds ETag to {@link dev.kbr.state.ContentId}
 */
record RecordsPack(SortedMap<String, byte[]> records, SortedMap<String, String> contentIds) {
    private static final String RECORDS = "records/";
    private static final String CONTENT_IDS = "content-ids";
    private static final int MAX_ENTRY = 64 * 1024 * 1024;

    RecordsPack {
        records = Collections.unmodifiableSortedMap(new TreeMap<>(records));
        contentIds = Collections.unmodifiableSortedMap(new TreeMap<>(contentIds));
    }

    /** No records. */
    static RecordsPack empty() {
        return new RecordsPack(new TreeMap<>(), new TreeMap<>());
    }

    /**
     * Reads a pack.
     *
     * @param source the object's key, for messages
     * @throws IOException when it is not a pack kbr wrote
     */
    static RecordsPack read(byte[] packed, String source) throws IOException {
        SortedMap<String, byte[]> records = new TreeMap<>();
        SortedMap<String, String> ids = new TreeMap<>();
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(packed)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                if (entry.getSize() > MAX_ENTRY) {
                    throw new IOException(source + ": entry " + entry.getName() + " is too large");
                }
                byte[] content = tar.readAllBytes();
                if (entry.getName().startsWith(RECORDS)) {
                    records.put(entry.getName().substring(RECORDS.length()), content);
                } else if (entry.getName().equals(CONTENT_IDS)) {
                    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        int space = line.indexOf(' ');
                        if (space > 0) {
                            ids.put(line.substring(0, space), line.substring(space + 1));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    source + " is not a records archive kbr can read (" + e.getMessage()
                            + "); objects under .kbr/ belong to kbr. Restore it, or delete it to start the records over"
                            + " (kbr then adopts what is in the bucket and deletes nothing)",
                    e);
        }
        return new RecordsPack(records, ids);
    }

    /** The pack's bytes, the same for the same content. */
    byte[] write() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> record : records.entrySet()) {
                entry(tar, RECORDS + record.getKey(), record.getValue());
            }
            StringBuilder ids = new StringBuilder();
            contentIds.forEach(
                    (etag, id) -> ids.append(etag).append(' ').append(id).append('\n'));
            entry(tar, CONTENT_IDS, ids.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setModTime(0);
        entry.setMode(0100644);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
