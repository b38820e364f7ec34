/* Entry point and subcommand dispatch, git-style: `parley COMMAND [ARGS]`.
 * Adding a command: write cmd_<name>.c, declare it in cli.h, add a row below. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

static const cli_command commands[] = {
    {"help", cli_cmd_help, "show help for a command", "usage: parley help [COMMAND]\n"},
    {"version", cli_cmd_version, "print parley's version", "usage: parley version\n"},
};

const cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_report_error(FILE *out, const parley_error *err)
{
    for (size_t i = 0; i < err->count; i++) {
        const parley_diagnostic *d = &err->items[i];
        if (d->where[0])
            fprintf(out, "parley: %s: %s\n", d->where, d->what);
        else
            fprintf(out, "parley: %s\n", d->what);
    }
    if (err->dropped)
        fprintf(out, "parley: ... and %zu more problem(s) not shown\n", err->dropped);
    if (err->count == 0 && err->status != PARLEY_OK)
        fprintf(out, "parley: %s\n", parley_strerror(err->status));
    return parley_status_exit_code(err->status);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "parley %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `parley help %s`)\n", command);
    return CLI_EXIT_BAD_INPUT;
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: parley [--version] [--help] COMMAND [ARGS]\n\n"
                 "parley simulates multi-party peace negotiations: it forecasts where\n"
                 "bargaining lands and runs the negotiation as a process in time.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`parley help COMMAND` explains one command.\n");
}

int cli_print_help(const char *command)
{
    const cli_command *c = cli_find_command(command);
    if (!c)
        return cli_usage_error("help", "unknown command '%s'", command);
    fputs(c->usage, stdout);
    return CLI_EXIT_OK;
}

int cli_cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    return cli_print_help(argv[1]);
}

int cli_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("parley %s\n", PARLEY_VERSION);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return CLI_EXIT_BAD_INPUT;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        return cli_cmd_version(argc - 1, argv + 1);
    const cli_command *c = cli_find_command(name);
    if (!c) {
        fprintf(stderr, "parley: '%s' is not a parley command (see `parley --help`)\n", name);
        return CLI_EXIT_BAD_INPUT;
    }
    /* `parley CMD --help` is the same as `parley help CMD`. */
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_print_help(name);
    return c->run(argc - 1, argv + 1);
}
