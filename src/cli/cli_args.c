/* cli_args.c -- command-line parsing and rules discovery. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef EDX_RULES_INSTALL_DIR
#define EDX_RULES_INSTALL_DIR "/usr/local/share/eduextract/rules"
#endif
#ifndef EDX_RULES_SOURCE_DIR
#define EDX_RULES_SOURCE_DIR "rules"
#endif
/* The installed rules relative to the installed binary's directory
 * ("../share/eduextract/rules"), so that a relocated or DESTDIR-staged
 * install finds its own rules; "" when the layout is not relative. */
#ifndef EDX_RULES_EXE_RELATIVE
#define EDX_RULES_EXE_RELATIVE ""
#endif

void cli_usage(FILE *fp)
{
    fputs(
        "Usage: eduextract [OPTION]... [FILE|DIR|-]...\n"
        "Extract the outline and indicator figures of Chinese education work reports\n"
        "as one JSON record per report.  With no FILE, or with -, read standard input.\n"
        "Directories are searched recursively for files matching --glob.\n"
        "\n"
        "  -r, --rules DIR        rules directory (default: $EDUEXTRACT_RULES, the\n"
        "                         installed rules, or the source tree's rules/)\n"
        "  -f, --format FMT       jsonl (default), json or csv\n"
        "      --pretty           indent the records of --format json\n"
        "      --csv-bom          start CSV output with a UTF-8 BOM (for spreadsheets)\n"
        "  -j, --jobs N           worker threads (default: number of cores); the output\n"
        "                         is the same, in input order, whatever N\n"
        "  -e, --encoding NAME    auto (default) or a charset: UTF-8, GB18030, BIG5, UTF-16LE ...\n"
        "  -o, --output FILE      write to FILE (atomically: complete or absent)\n"
        "      --glob PATTERN     file pattern inside directories (default *.txt)\n"
        "      --files-from FILE  read input paths from FILE, one per line (- for stdin)\n"
        "      --max-bytes N      skip files larger than N bytes with an error record\n"
        "                         (default 64 MiB; suffixes K, M, G)\n"
        "      --summary          print files, reports, figures, checks, failures, MB/s\n"
        "  -q, --quiet            no progress bar or per-file messages (the progress\n"
        "                         bar shows only when stderr is a terminal)\n"
        "      --check-rules DIR  validate a rules directory and exit\n"
        "      --print-rules-dir  print the rules directory that would be used and exit\n"
        "  -h, --help             show this help and exit\n"
        "  -V, --version          show the version and exit\n"
        "\n"
        "Exit status: 0 every input processed, 1 some input failed (it has an error\n"
        "record), 2 usage error.\n",
        fp);
}

static bool parse_size(const char *s, size_t *out)
{
    char *e;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (e == s || errno)
        return false;
    unsigned long long mult = 1;
    if (*e == 'K' || *e == 'k')
        mult = 1024ULL, e++;
    else if (*e == 'M' || *e == 'm')
        mult = 1024ULL * 1024, e++;
    else if (*e == 'G' || *e == 'g')
        mult = 1024ULL * 1024 * 1024, e++;
    if (*e || v == 0 || v > SIZE_MAX / mult)
        return false;
    *out = (size_t)(v * mult);
    return true;
}

enum {
    OPT_PRETTY = 256, OPT_CSV_BOM, OPT_GLOB, OPT_FILES_FROM, OPT_MAX_BYTES, OPT_SUMMARY,
    OPT_CHECK_RULES, OPT_PRINT_RULES_DIR
};

int cli_parse_args(int argc, char **argv, cli_options *opt)
{
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        {"pretty", no_argument, NULL, OPT_PRETTY},
        {"csv-bom", no_argument, NULL, OPT_CSV_BOM},
        {"jobs", required_argument, NULL, 'j'},
        {"encoding", required_argument, NULL, 'e'},
        {"output", required_argument, NULL, 'o'},
        {"glob", required_argument, NULL, OPT_GLOB},
        {"files-from", required_argument, NULL, OPT_FILES_FROM},
        {"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"quiet", no_argument, NULL, 'q'},
        {"check-rules", required_argument, NULL, OPT_CHECK_RULES},
        {"print-rules-dir", no_argument, NULL, OPT_PRINT_RULES_DIR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    memset(opt, 0, sizeof *opt);
    opt->glob = "*.txt";
    opt->max_bytes = EDX_DEFAULT_MAX_BYTES;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:f:j:e:o:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            opt->rules_dir = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "jsonl") == 0)
                opt->format = FORMAT_JSONL;
            else if (strcmp(optarg, "json") == 0)
                opt->format = FORMAT_JSON;
            else if (strcmp(optarg, "csv") == 0)
                opt->format = FORMAT_CSV;
            else {
                fprintf(stderr, "eduextract: unknown format '%s' (jsonl, json or csv)\n", optarg);
                return CLI_USAGE;
            }
            break;
        case OPT_PRETTY:
            opt->pretty = true;
            break;
        case OPT_CSV_BOM:
            opt->csv_bom = true;
            break;
        case 'j': {
            char *e;
            long v = strtol(optarg, &e, 10);
            if (*e || e == optarg || v < 1 || v > 256) {
                fprintf(stderr, "eduextract: --jobs takes a number from 1 to 256\n");
                return CLI_USAGE;
            }
            opt->jobs = (int)v;
            break;
        }
        case 'e':
            opt->encoding = optarg;
            break;
        case 'o':
            opt->output = optarg;
            break;
        case OPT_GLOB:
            opt->glob = optarg;
            break;
        case OPT_FILES_FROM:
            opt->files_from = optarg;
            break;
        case OPT_MAX_BYTES:
            if (!parse_size(optarg, &opt->max_bytes)) {
                fprintf(stderr, "eduextract: --max-bytes takes a size such as 1048576 or 64M\n");
                return CLI_USAGE;
            }
            break;
        case OPT_SUMMARY:
            opt->summary = true;
            break;
        case 'q':
            opt->quiet = true;
            break;
        case OPT_CHECK_RULES:
            opt->check_rules = optarg;
            break;
        case OPT_PRINT_RULES_DIR:
            opt->print_rules_dir = true;
            break;
        case 'h':
            cli_usage(stdout);
            return CLI_OK;
        case 'V':
            printf("eduextract %s (record schema %s)\n", edx_version(), EDX_RECORD_SCHEMA);
            return CLI_OK;
        case ':':
            fprintf(stderr, "eduextract: option '%s' needs a value\n", argv[optind - 1]);
            cli_usage(stderr);
            return CLI_USAGE;
        default:
            fprintf(stderr, "eduextract: unknown option '%s'\n", argv[optind - 1]);
            cli_usage(stderr);
            return CLI_USAGE;
        }
    }
    /* JSON Lines stay one record per line: --pretty indents --format json. */
    if (opt->format != FORMAT_JSON)
        opt->pretty = false;
    opt->inputs = argv + optind;
    opt->ninputs = (size_t)(argc - optind);
    for (size_t i = 0; opt->files_from && strcmp(opt->files_from, "-") == 0 && i < opt->ninputs;
         i++) {
        if (strcmp(opt->inputs[i], "-") == 0) {
            fprintf(stderr, "eduextract: standard input cannot be both the --files-from list "
                            "and an input\n");
            return CLI_USAGE;
        }
    }
    return -1;
}

static bool has_rules(const char *dir)
{
    char path[8192];
    struct stat sb;
    snprintf(path, sizeof path, "%s/indicators.conf", dir);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* <directory of this executable>/EDX_RULES_EXE_RELATIVE, in `out`. */
static bool exe_relative_rules(char *out, size_t size)
{
    if (!*EDX_RULES_EXE_RELATIVE)
        return false;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    int w = snprintf(out, size, "%s/%s", exe, EDX_RULES_EXE_RELATIVE);
    return w > 0 && (size_t)w < size && has_rules(out);
}

const char *cli_find_rules(const char *given)
{
    static char relative[4096 + 64];
    if (given)
        return given;
    const char *env = getenv("EDUEXTRACT_RULES");
    if (env && *env)
        return env;
    if (exe_relative_rules(relative, sizeof relative))
        return relative;
    if (has_rules(EDX_RULES_INSTALL_DIR))
        return EDX_RULES_INSTALL_DIR;
    if (has_rules(EDX_RULES_SOURCE_DIR))
        return EDX_RULES_SOURCE_DIR;
    return NULL;
}
