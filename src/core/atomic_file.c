/* Write-to-temporary-then-rename output files; see atomic_file.h for the
 * guarantee and the temporary file's name. POSIX only (mkstemp, fsync, rename). */
#include "atomic_file.h"

#include "alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct parley__atomic_file {
    char *path;     /* destination */
    char *tmp_path; /* the temporary file, same directory */
    char *dir;      /* the directory, for the fsync after rename */
    FILE *stream;
};

static void describe_errno(int code, char *buf, size_t size)
{
    /* The POSIX strerror_r (int result) under _POSIX_C_SOURCE; strerror is not
     * thread-safe. */
    if (strerror_r(code, buf, size) != 0)
        snprintf(buf, size, "error %d", code);
}

static parley_status io_error(parley_error *err, const char *path, const char *doing, int code)
{
    char why[256];
    describe_errno(code, why, sizeof why);
    return parley_error_add(err, PARLEY_EIO, path, "%s: %s", doing, why);
}

/* The process umask without changing it (umask() both reads and writes, which
 * races with other threads). Linux reports it in /proc/self/status; elsewhere
 * the common 022 is assumed. */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return mask;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Umask:", 6) == 0) {
            char *end = NULL;
            unsigned long v = strtoul(line + 6, &end, 8);
            if (end != line + 6 && v <= 0777)
                mask = (mode_t)v;
            break;
        }
    }
    fclose(f);
    return mask;
}

/* Splits `path` into a directory ("." when it has none) and a template
 * "DIR/.BASE.tmp.XXXXXX". Returns 0 on allocation failure. */
static int make_names(const char *path, char **dir_out, char **tmpl_out)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir;
    if (!slash)
        dir = parley__strdup(".");
    else if (slash == path)
        dir = parley__strdup("/");
    else
        dir = parley__strndup(path, (size_t)(slash - path));
    if (!dir)
        return 0;
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0; /* keeps the slash */
    static const char suffix[] = ".tmp.XXXXXX";
    size_t size = dir_len + 1 + strlen(base) + sizeof suffix;
    char *tmpl = size <= INT_MAX ? parley__malloc(size) : NULL;
    if (!tmpl) {
        parley__free(dir);
        return 0;
    }
    snprintf(tmpl, size, "%.*s.%s%s", (int)dir_len, path, base, suffix);
    *dir_out = dir;
    *tmpl_out = tmpl;
    return 1;
}

static void release(parley__atomic_file *af)
{
    parley__free(af->path);
    parley__free(af->tmp_path);
    parley__free(af->dir);
    parley__free(af);
}

parley_status parley__atomic_open(const char *path, parley__atomic_file **out, parley_error *err)
{
    *out = NULL;
    if (!path || !path[0])
        return parley_error_add(err, PARLEY_EIO, "", "output path is empty");
    const char *slash = strrchr(path, '/');
    if (slash && slash[1] == '\0')
        return parley_error_add(err, PARLEY_EIO, path, "output path names a directory");

    struct stat old;
    int have_old = stat(path, &old) == 0;
    if (have_old && S_ISDIR(old.st_mode))
        return parley_error_add(err, PARLEY_EIO, path, "output path names a directory");

    parley__atomic_file *af = parley__calloc(1, sizeof *af);
    if (!af)
        return parley_error_add(err, PARLEY_ENOMEM, path, "out of memory opening output file");
    af->path = parley__strdup(path);
    if (!af->path || !make_names(path, &af->dir, &af->tmp_path)) {
        release(af);
        return parley_error_add(err, PARLEY_ENOMEM, path, "out of memory opening output file");
    }

    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        int code = errno;
        char doing[64 + PARLEY_WHERE_MAX];
        snprintf(doing, sizeof doing, "cannot create a temporary file in '%s'", af->dir);
        release(af);
        return io_error(err, path, doing, code);
    }
    /* mkstemp creates 0600; give the result the permissions the user expects
     * of the destination. */
    mode_t mode = have_old ? (old.st_mode & 07777) : (0666 & ~current_umask());
    if (fchmod(fd, mode) != 0) {
        int code = errno;
        close(fd);
        unlink(af->tmp_path);
        release(af);
        return io_error(err, path, "cannot set the output file's permissions", code);
    }
    af->stream = fdopen(fd, "wb");
    if (!af->stream) {
        int code = errno;
        close(fd);
        unlink(af->tmp_path);
        release(af);
        return io_error(err, path, "cannot open a stream on the temporary file", code);
    }
    *out = af;
    return PARLEY_OK;
}

FILE *parley__atomic_stream(parley__atomic_file *af) { return af->stream; }

const char *parley__atomic_path(const parley__atomic_file *af) { return af->path; }

/* Makes the rename durable. Some filesystems cannot fsync a directory
 * (EINVAL); the file itself is already on disk, so this is best effort. */
static void sync_directory(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

parley_status parley__atomic_commit(parley__atomic_file *af, parley_error *err)
{
    if (!af)
        return parley_error_add(err, PARLEY_EINTERNAL, "", "commit of a missing output file");
    const char *failed = NULL;
    int code = 0;
    errno = 0;
    if (fflush(af->stream) != 0 || ferror(af->stream)) {
        failed = "cannot write the output file";
        code = errno ? errno : EIO;
    } else if (fsync(fileno(af->stream)) != 0) {
        failed = "cannot flush the output file to disk";
        code = errno;
    }
    /* fclose after the checks: its own error (e.g. a deferred write error on
     * NFS) counts too. */
    if (fclose(af->stream) != 0 && !failed) {
        failed = "cannot close the output file";
        code = errno;
    }
    af->stream = NULL;
    if (!failed && rename(af->tmp_path, af->path) != 0) {
        failed = "cannot move the output file into place";
        code = errno;
    }
    if (failed) {
        unlink(af->tmp_path);
        parley_status st = io_error(err, af->path, failed, code);
        release(af);
        return st;
    }
    sync_directory(af->dir);
    release(af);
    return PARLEY_OK;
}

void parley__atomic_abort(parley__atomic_file *af)
{
    if (!af)
        return;
    if (af->stream)
        fclose(af->stream);
    unlink(af->tmp_path);
    release(af);
}

parley_status parley__atomic_write(const char *path, const void *data, size_t len,
                                   parley_error *err)
{
    parley__atomic_file *af;
    parley_status st = parley__atomic_open(path, &af, err);
    if (st != PARLEY_OK || !af)
        return st != PARLEY_OK ? st : PARLEY_EINTERNAL;
    errno = 0;
    if (len && fwrite(data, 1, len, af->stream) != len) {
        int code = errno ? errno : EIO;
        parley__atomic_abort(af);
        return io_error(err, path, "cannot write the output file", code);
    }
    return parley__atomic_commit(af, err);
}
