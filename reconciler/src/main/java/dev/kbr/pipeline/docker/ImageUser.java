package dev.kbr.pipeline.docker;

/**
 * The numeric owner to give the files copied into a container, derived from the image's {@code
 * USER}, so a non-root container can modify {@code /kratix/output} and {@code /kratix/metadata}
 * as it could a Kubernetes {@code emptyDir}.
 *
 * @param uid numeric user id
 * @param gid numeric group id
 */
record ImageUser(long uid, long gid) {
    static final ImageUser ROOT = new ImageUser(0, 0);

    /**
     * Parses Docker's {@code user[:group]}. Names other than {@code root} cannot be resolved
     * without reading the image's {@code /etc/passwd}, so they fall back to 0 (root).
     */
    static ImageUser parse(String user) {
        if (user == null || user.isBlank()) {
            return ROOT;
        }
        int colon = user.indexOf(':');
        String userPart = colon < 0 ? user : user.substring(0, colon);
        String groupPart = colon < 0 ? "" : user.substring(colon + 1);
        return new ImageUser(numeric(userPart), numeric(groupPart));
    }

    private static long numeric(String id) {
        if (id.isEmpty() || id.length() > 10 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(id);
    }
}
