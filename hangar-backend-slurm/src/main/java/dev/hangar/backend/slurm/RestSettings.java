package dev.hangar.backend.slurm;

/**
 * How slurmrestd is reached. The token never shows in {@link #toString()}.
 *
 * @param url   where slurmrestd listens, {@code http(s)://host:port}, without a trailing slash
 * @param user  the account the token is for, sent as {@code X-SLURM-USER-NAME} when a job names no other
 * @param token the JWT sent as {@code X-SLURM-USER-TOKEN}
 */
record RestSettings(String url, String user, RestToken token) {
}
