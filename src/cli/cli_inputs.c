/* cli_inputs.c -- expand FILE|DIR|- arguments and --files-from lists. */
#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Directory nesting followed at most; deeper trees are not walked (a loop of
 * symlinks would otherwise never end). */
#define MAX_DIR_DEPTH 64

static bool push(cli_inputs *in, const char *p)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        char **q = realloc(in->paths, cap * sizeof *q);
        if (!q)
            return false;
        in->paths = q;
        in->cap = cap;
    }
    in->paths[in->n] = strdup(p);
    if (!in->paths[in->n])
        return false;
    in->n++;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool walk(const char *dir, const char *glob, cli_inputs *in, int depth)
{
    if (depth > MAX_DIR_DEPTH)
        return true;
    DIR *dp = opendir(dir);
    if (!dp)
        return push(in, dir); /* gets an error record */
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ., .., and hidden files */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **q = realloc(names, cap * sizeof *q);
            if (!q) {
                ok = false;
                break;
            }
            names = q;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) {
            ok = false;
            break;
        }
        n++;
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (ok) {
            size_t len = strlen(dir) + strlen(names[i]) + 2;
            char *p = malloc(len);
            if (!p) {
                ok = false;
            } else {
                snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                         names[i]);
                struct stat sb;
                if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                    ok = walk(p, glob, in, depth + 1);
                else if (fnmatch(glob, names[i], 0) == 0)
                    ok = push(in, p);
                free(p);
            }
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

static bool add_arg(const char *arg, const char *glob, cli_inputs *in)
{
    struct stat sb;
    if (strcmp(arg, "-") != 0 && stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
        return walk(arg, glob, in, 0);
    return push(in, arg);
}

static bool read_list(const char *from, const char *glob, cli_inputs *in)
{
    FILE *fp = strcmp(from, "-") == 0 ? stdin : fopen(from, "r");
    if (!fp) {
        fprintf(stderr, "eduextract: cannot open --files-from list '%s'\n", from);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool ok = true;
    while (ok && (n = getline(&line, &cap, fp)) != -1) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            ok = add_arg(line, glob, in);
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return ok;
}

bool cli_expand_inputs(const cli_options *opt, cli_inputs *out)
{
    memset(out, 0, sizeof *out);
    bool ok = true;
    for (size_t i = 0; ok && i < opt->ninputs; i++)
        ok = add_arg(opt->inputs[i], opt->glob, out);
    if (ok && opt->files_from)
        ok = read_list(opt->files_from, opt->glob, out);
    if (ok && opt->ninputs == 0 && !opt->files_from)
        ok = push(out, "-");
    return ok;
}

void cli_inputs_free(cli_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->paths[i]);
    free(in->paths);
    memset(in, 0, sizeof *in);
}
