/* Rows kept as safe strings; widths found at print time. */
#include "tui/table.h"

#include <stdlib.h>
#include <string.h>

#include "tui/text.h"

struct tui_table {
    size_t ncols;
    unsigned right_mask;
    char **cells; /* (rows + 1) * ncols, the header first */
    size_t rows;  /* including the header */
    size_t cap;
};

static enum base_status add_row(struct tui_table *t, const char *const *cells)
{
    char **grown;
    size_t i;
    size_t base;

    if (t->rows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        grown = realloc(t->cells, t->cap * t->ncols * sizeof(*grown));
        if (!grown)
            return BASE_E_NOMEM;
        t->cells = grown;
    }
    base = t->rows * t->ncols;
    for (i = 0; i < t->ncols; i++)
        t->cells[base + i] = tui_text_safe(cells[i] ? cells[i] : "-");
    t->rows++;
    for (i = 0; i < t->ncols; i++) {
        if (!t->cells[base + i])
            return BASE_E_NOMEM;
    }
    return BASE_OK;
}

enum base_status tui_table_new(size_t ncols, const char *const *headers,
                               unsigned right_mask, struct tui_table **out)
{
    struct tui_table *t;
    enum base_status result;

    if (ncols == 0 || !headers || !out)
        return BASE_E_INVALID;
    t = calloc(1, sizeof(*t));
    if (!t)
        return BASE_E_NOMEM;
    t->ncols = ncols;
    t->right_mask = right_mask;
    result = add_row(t, headers);
    if (result != BASE_OK) {
        tui_table_free(&t);
        return result;
    }
    *out = t;
    return BASE_OK;
}

enum base_status tui_table_add(struct tui_table *table,
                               const char *const *cells)
{
    if (!table || !cells)
        return BASE_E_INVALID;
    return add_row(table, cells);
}

static void print_cell(const char *cell, int width, int right, int last,
                       FILE *out)
{
    int pad = width - tui_text_width(cell);

    if (right)
        fprintf(out, "%*s", pad, "");
    fputs(cell, out);
    if (!right && !last)
        fprintf(out, "%*s", pad, "");
    if (!last)
        fputs("  ", out);
}

void tui_table_print(const struct tui_table *table, FILE *out)
{
    int *widths;
    size_t r;
    size_t c;
    int w;

    if (!table || !out)
        return;
    widths = calloc(table->ncols, sizeof(*widths));
    if (!widths)
        return;
    for (r = 0; r < table->rows; r++) {
        for (c = 0; c < table->ncols; c++) {
            w = tui_text_width(table->cells[r * table->ncols + c]);
            widths[c] = w > widths[c] ? w : widths[c];
        }
    }
    for (r = 0; r < table->rows; r++) {
        for (c = 0; c < table->ncols; c++)
            print_cell(table->cells[r * table->ncols + c], widths[c],
                       (table->right_mask >> c) & 1, c + 1 == table->ncols,
                       out);
        fputc('\n', out);
    }
    free(widths);
}

void tui_table_free(struct tui_table **table)
{
    size_t i;

    if (!table || !*table)
        return;
    for (i = 0; i < (*table)->rows * (*table)->ncols; i++)
        free((*table)->cells[i]);
    free((*table)->cells);
    free(*table);
    *table = NULL;
}
