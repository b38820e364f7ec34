/* Atomic output files: a commit replaces the destination whole, an abort or a
 * failure leaves the previous file intact, errors name the path, and a process
 * killed mid-write leaves either no destination or the previous complete one,
 * plus at most a temporary file named `.NAME.tmp.XXXXXX`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "parley/error.h"

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/parley-atomic-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->path, sizeof fx->path, "%s/out.csv", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", fx->dir, e->d_name);
            if (remove(p) != 0) {
                /* a test's subdirectory */
                chmod(p, 0700);
                remove(p);
            }
        }
        closedir(d);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void write_plain(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole content of a file (caller frees), or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

/* Counts the directory's entries other than `keep`, checking each is a
 * temporary file of `keep` named as documented. */
static int count_temporaries(const char *dir, const char *keep)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, ".%s.tmp.", keep);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int temps = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, keep) == 0)
            continue;
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 ||
            strlen(e->d_name) != strlen(prefix) + 6) {
            print_error("unexpected file %s in %s\n", e->d_name, dir);
            fail();
        }
        temps++;
    }
    closedir(d);
    return temps;
}

static void test_commit_creates(void **state)
{
    fixture *fx = *state;
    parley_error err = {0};
    parley__atomic_file *af = NULL;
    assert_int_equal(parley__atomic_open(fx->path, &af, &err), PARLEY_OK);
    assert_non_null(af);
    assert_string_equal(parley__atomic_path(af), fx->path);
    /* Nothing at the destination until commit. */
    assert_null(slurp(fx->path, NULL));
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 1);
    fprintf(parley__atomic_stream(af), "a,b\n1,2\n");
    assert_int_equal(parley__atomic_commit(af, &err), PARLEY_OK);
    char *text = slurp(fx->path, NULL);
    assert_non_null(text);
    assert_string_equal(text, "a,b\n1,2\n");
    free(text);
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 0);
    /* 0666 less the umask, like fopen. */
    mode_t mask = umask(022);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
    assert_int_equal(err.status, PARLEY_OK);
}

static void test_commit_replaces_and_keeps_mode(void **state)
{
    fixture *fx = *state;
    write_plain(fx->path, "old content that is longer than the new\n");
    assert_int_equal(chmod(fx->path, 0640), 0);
    parley_error err = {0};
    assert_int_equal(parley__atomic_write(fx->path, "new\n", 4, &err), PARLEY_OK);
    char *text = slurp(fx->path, NULL);
    assert_string_equal(text, "new\n");
    free(text);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 0);
}

static void test_abort_keeps_old(void **state)
{
    fixture *fx = *state;
    write_plain(fx->path, "previous\n");
    parley_error err = {0};
    parley__atomic_file *af = NULL;
    assert_int_equal(parley__atomic_open(fx->path, &af, &err), PARLEY_OK);
    fprintf(parley__atomic_stream(af), "half a file");
    parley__atomic_abort(af);
    char *text = slurp(fx->path, NULL);
    assert_string_equal(text, "previous\n");
    free(text);
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 0);
    parley__atomic_abort(NULL);
}

static void test_relative_path(void **state)
{
    fixture *fx = *state;
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(fx->dir), 0);
    parley_error err = {0};
    parley_status st = parley__atomic_write("out.csv", "x", 1, &err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(st, PARLEY_OK);
    char *text = slurp(fx->path, NULL);
    assert_string_equal(text, "x");
    free(text);
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 0);
}

static void expect_located_eio(const char *path)
{
    parley_error err = {0};
    parley__atomic_file *af = (parley__atomic_file *)&err; /* must be reset */
    assert_int_equal(parley__atomic_open(path, &af, &err), PARLEY_EIO);
    assert_null(af);
    assert_int_equal(err.status, PARLEY_EIO);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.items[0].where, path);
    assert_true(strlen(err.items[0].what) > 0);
    parley_error_clear(&err);
}

static void test_unwritable_locations(void **state)
{
    fixture *fx = *state;
    char p[256];
    /* A directory that does not exist. */
    snprintf(p, sizeof p, "%s/missing/out.csv", fx->dir);
    expect_located_eio(p);
    /* A regular file used as a directory (fails even for root). */
    write_plain(fx->path, "file\n");
    snprintf(p, sizeof p, "%s/sub.csv", fx->path);
    expect_located_eio(p);
    /* The destination is a directory. */
    expect_located_eio(fx->dir);
    snprintf(p, sizeof p, "%s/", fx->dir);
    expect_located_eio(p);
    /* A read-only directory (root ignores permissions, so only as a user). */
    if (geteuid() != 0) {
        char ro[128];
        snprintf(ro, sizeof ro, "%s/ro", fx->dir);
        assert_int_equal(mkdir(ro, 0500), 0);
        snprintf(p, sizeof p, "%s/out.csv", ro);
        expect_located_eio(p);
        chmod(ro, 0700);
        rmdir(ro);
    }
    parley_error err = {0};
    parley__atomic_file *af;
    assert_int_equal(parley__atomic_open("", &af, &err), PARLEY_EIO);
    parley_error_clear(&err);
    char *text = slurp(fx->path, NULL);
    assert_string_equal(text, "file\n");
    free(text);
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 0);
}

/* A full disk, simulated with RLIMIT_FSIZE in a child: the write fails, commit
 * reports it at the path, the old file survives and the temporary is gone. */
static void test_write_failure_keeps_old(void **state)
{
    fixture *fx = *state;
    write_plain(fx->path, "previous\n");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {4096, 4096};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(10);
        parley_error err = {0};
        parley__atomic_file *af;
        if (parley__atomic_open(fx->path, &af, &err) != PARLEY_OK)
            _exit(11);
        char block[1024];
        memset(block, 'x', sizeof block);
        for (int i = 0; i < 64; i++)
            fwrite(block, 1, sizeof block, parley__atomic_stream(af));
        parley_status st = parley__atomic_commit(af, &err);
        if (st != PARLEY_EIO || err.count != 1 || strcmp(err.items[0].where, fx->path) != 0)
            _exit(12);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char *text = slurp(fx->path, NULL);
    assert_string_equal(text, "previous\n");
    free(text);
    assert_int_equal(count_temporaries(fx->dir, "out.csv"), 0);
}

static void pause_briefly(void)
{
    struct timespec ts = {0, 1000000}; /* 1 ms */
    nanosleep(&ts, NULL);
}

/* Size of the one temporary file of out.csv in dir, or -1 when there is none. */
static long temporary_size(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    long size = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, ".out.csv.tmp.", 13) == 0) {
            char p[512];
            struct stat st;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (stat(p, &st) == 0)
                size = (long)st.st_size;
        }
    }
    closedir(d);
    return size;
}

/* Forks a child that writes a large file slowly, SIGKILLs it once a good part
 * of the file has reached the disk, and checks what survives. The kill is
 * triggered by progress (bytes written), never by time. */
static void kill_mid_write(fixture *fx, const char *previous)
{
    enum { BLOCK = 4096, BLOCKS = 1 << 14 }; /* 64 MiB if it ever finished */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        parley_error err = {0};
        parley__atomic_file *af;
        if (parley__atomic_open(fx->path, &af, &err) != PARLEY_OK)
            _exit(11);
        char block[BLOCK];
        memset(block, 'n', sizeof block);
        for (int i = 0; i < BLOCKS; i++) {
            fwrite(block, 1, sizeof block, parley__atomic_stream(af));
            fflush(parley__atomic_stream(af));
            pause_briefly();
        }
        parley__atomic_commit(af, &err);
        _exit(0);
    }
    long seen = -1;
    for (int tries = 0; tries < 600000 && seen < 16L * BLOCK; tries++) {
        seen = temporary_size(fx->dir);
        if (seen < 16L * BLOCK)
            pause_briefly();
    }
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_true(seen >= 16L * BLOCK);

    size_t len = 0;
    char *text = slurp(fx->path, &len);
    if (previous) {
        assert_non_null(text);
        assert_int_equal(len, strlen(previous));
        assert_string_equal(text, previous);
    } else {
        assert_null(text);
    }
    free(text);
    /* The documented leftover, and nothing else. */
    assert_true(count_temporaries(fx->dir, "out.csv") <= 1);
}

static void test_kill_keeps_previous(void **state)
{
    fixture *fx = *state;
    const char *previous = "actor,position\nUS,60\nDPRK,90\n";
    write_plain(fx->path, previous);
    kill_mid_write(fx, previous);
}

static void test_kill_leaves_no_destination(void **state)
{
    fixture *fx = *state;
    kill_mid_write(fx, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_creates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_replaces_and_keeps_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_locations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_keeps_previous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_leaves_no_destination, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
