/* The vault's passphrase modal: asked once per run, before the sign-in
 * or main screen, when the tokens are protected by a passphrase. */
#include "tui/app.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "tui/draw.h"
#include "tui/message.h"

#define LABEL_COLS 12

void tui_screen_unlock_draw(struct tui_app *app)
{
    struct tui_app_unlock *unlock = &app->unlock;
    int rows = tui_draw_rows();
    int cols = tui_draw_cols();
    int w = cols - 2 < 64 ? cols - 2 : 64;
    int h = 10;
    int y = (rows - h) / 2 > 0 ? (rows - h) / 2 : 0;
    int x = (cols - w) / 2;
    int field_cols = w - 4 - LABEL_COLS;
    char submit[32];
    char cancel[32];
    char help[32];
    char keys[128];

    tui_draw_box(y, x, h, w, "Unlock the vault");
    tui_draw_text(y + 2, x + 2, w - 4,
                  "Your stored sign-ins are protected by a passphrase.",
                  TUI_DRAW_NORMAL);
    tui_draw_text(y + 4, x + 2, LABEL_COLS, "Passphrase", TUI_DRAW_NORMAL);
    app->cursor_x = tui_field_draw(&unlock->passphrase, y + 4,
                                   x + 2 + LABEL_COLS, field_cols, true);
    app->cursor_y = y + 4;
    if (unlock->pending)
        tui_draw_text(y + 6, x + 2, w - 4, "Unlocking\xe2\x80\xa6",
                      TUI_DRAW_NORMAL);
    else if (unlock->error[0])
        tui_draw_text(y + 6, x + 2, w - 4, unlock->error, TUI_DRAW_ERROR);
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_SUBMIT, submit, sizeof(submit));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_CANCEL, cancel, sizeof(cancel));
    tui_app_hint(app, TUI_CONFIG_ACT_FORM_HELP, help, sizeof(help));
    snprintf(keys, sizeof(keys), "%s: unlock   %s: quit   %s: help", submit,
             cancel, help);
    tui_draw_text(y + h - 2, x + 2, w - 4, keys, TUI_DRAW_DIM);
}

void tui_screen_unlock_key(struct tui_app *app, wint_t ch, bool is_key)
{
    struct tui_app_unlock *unlock = &app->unlock;
    enum tui_config_act act =
        tui_app_action(app, TUI_CONFIG_SCOPE_FORM, ch, is_key);
    bool enter = act == TUI_CONFIG_ACT_FORM_SUBMIT;

    if (unlock->pending)
        return;
    if (act == TUI_CONFIG_ACT_FORM_HELP) {
        tui_app_open_help(app);
    } else if (act == TUI_CONFIG_ACT_FORM_CANCEL) {
        app->quit = true;
    } else if (enter && unlock->passphrase.len == 0) {
        snprintf(unlock->error, sizeof(unlock->error),
                 "Type the vault's passphrase first.");
    } else if (enter) {
        unlock->pending = true;
        unlock->error[0] = '\0';
    } else {
        tui_field_key(&unlock->passphrase, ch, is_key);
    }
}

void tui_screen_unlock_run(struct tui_app *app)
{
    struct tui_app_unlock *unlock = &app->unlock;
    struct base_secret *passphrase = NULL;
    enum base_status status;

    unlock->pending = false;
    status = tui_field_to_secret(&unlock->passphrase, &passphrase);
    tui_field_clear(&unlock->passphrase, false);
    if (status == BASE_OK)
        status = core_session_unlock(app->session, passphrase);
    if (status == BASE_E_PASSPHRASE)
        tui_message_compose(unlock->error, sizeof(unlock->error), NULL, status,
                            "try again");
    else if (status != BASE_OK)
        tui_message_compose(unlock->error, sizeof(unlock->error),
                            "Could not unlock", status,
                            core_session_last_error(app->session));
    if (status != BASE_OK) {
        base_secret_free(&passphrase);
        return;
    }
    /* Kept (locked, wiped at exit) so that switching account, which
     * opens a new session, does not ask again. */
    base_secret_free(&app->passphrase);
    app->passphrase = passphrase;
    tui_app_first_screen(app);
}
