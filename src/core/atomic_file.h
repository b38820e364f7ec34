/* Crash-safe output files. Everything parley writes (exported scenarios, CSV,
 * reports, databases) goes to a temporary file in the destination's directory
 * and is renamed over the destination only once it is complete and on disk, so
 * a crash, a kill or a full disk never leaves a truncated file and never
 * destroys the previous version.
 *
 * The temporary file is named `.NAME.tmp.XXXXXX` (NAME the destination's base
 * name, XXXXXX six characters chosen by mkstemp) in the destination's directory,
 * so the rename stays on one filesystem and is atomic. A process killed between
 * open and commit leaves that file behind; nothing else ever does.
 *
 * Usage:
 *     parley__atomic_file *af;
 *     if (parley__atomic_open(path, &af, err) != PARLEY_OK) return err->status;
 *     fprintf(parley__atomic_stream(af), ...);
 *     return parley__atomic_commit(af, err);   // or parley__atomic_abort(af)
 *
 * Internal to libparley (parley__ prefix); not thread-safe per handle. */
#ifndef PARLEY_CORE_ATOMIC_FILE_H
#define PARLEY_CORE_ATOMIC_FILE_H

#include "parley/error.h"

#include <stddef.h>
#include <stdio.h>

typedef struct parley__atomic_file parley__atomic_file;

/* Creates the temporary file for `path` and returns a handle in *out (NULL on
 * failure). The new file gets the mode of an existing destination, otherwise
 * 0666 less the process umask, as fopen would. Errors (located at `path`):
 * PARLEY_EIO when the directory is missing or unwritable or `path` names a
 * directory, PARLEY_ENOMEM. Cost: one file creation. */
parley_status parley__atomic_open(const char *path, parley__atomic_file **out, parley_error *err);

/* The stream to write the content through; owned by the handle, never fclose it.
 * Write errors are remembered by the stream and reported by commit. */
FILE *parley__atomic_stream(parley__atomic_file *af);

/* The destination path given to open (owned by the handle). */
const char *parley__atomic_path(const parley__atomic_file *af);

/* Flushes, fsyncs and renames the temporary file over the destination, then
 * fsyncs the directory (best effort: some filesystems refuse). Always releases
 * the handle; on any failure the temporary file is removed and the destination
 * is untouched. Errors: PARLEY_EIO (write, flush, sync or rename failed, e.g.
 * disk full), located at the destination path. Cost: one fsync and a rename. */
parley_status parley__atomic_commit(parley__atomic_file *af, parley_error *err);

/* Removes the temporary file and releases the handle; the destination is
 * untouched. NULL is allowed. Never fails. */
void parley__atomic_abort(parley__atomic_file *af);

/* Writes `len` bytes of `data` to `path` through open/commit. Errors as
 * parley__atomic_open and parley__atomic_commit. */
parley_status parley__atomic_write(const char *path, const void *data, size_t len,
                                   parley_error *err);

#endif
