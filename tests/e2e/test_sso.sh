#!/usr/bin/env bash
# Single sign-on: each provider's token exchanged by `login --sso`, a wrong
# token and a password refused by an SSO company (exit 3 with the server's
# words and the ways through), the UI's method chooser with the advice in
# place, the email kept and the wait before the next attempt counting
# down, and the --demo row of the SSO-only user.
BIN_DIR=$1
ASSETS=$2
. "$(dirname "$0")/lib.sh"

KAISA=kaisa.rautio@revontuli.demo.bezala.test
OKTA_URL=https://revontuli.okta.demo.bezala.test
COMPANY="Revontuli Analytics Oy"

err_has() {
    grep -qF -- "$1" "$E2E_TMP/err" && pass "$2" ||
        fail "$2: stderr was: $(cat "$E2E_TMP/err")"
}
out_has() {
    grep -qF -- "$1" "$E2E_TMP/out" && pass "$2" ||
        fail "$2: stdout was: $(cat "$E2E_TMP/out")"
}
sso() {
    local token=$1
    shift
    printf '%s\n' "$token" | bz login --email "$KAISA" --sso-token-stdin "$@"
}

sim_start

# --- The subcommand: every provider -------------------------------------
expect_exit 0 "login --sso google" -- sso demo-google-kaisa --sso google
err_has "as $KAISA with Google" "the message names the provider"
expect_exit 0 "whoami after Google" -- bz whoami
out_has "$COMPANY" "the SSO user's company"
expect_exit 0 "login --sso microsoft" -- \
    sso demo-microsoft-kaisa --sso microsoft
expect_exit 0 "login --sso okta" -- sso demo-okta-kaisa --sso okta \
    --okta-url "$OKTA_URL" --company-name "$COMPANY"
expect_exit 0 "whoami after Okta" -- bz whoami --json
out_has "\"email\": \"$KAISA\"" "signed in as the SSO user"
for f in "$E2E_HOME"/*; do
    if grep -qaF demo-okta-kaisa "$f" || grep -qaF demo-google-kaisa "$f"; then
        fail "a provider token is stored in $f"
    fi
done
pass "no provider token in the home"

expect_exit 3 "a wrong Microsoft token" -- sso not-the-token --sso microsoft
err_has "The Microsoft access token is not valid" "the server's own text"
expect_exit 3 "Okta for another company" -- sso demo-okta-kaisa --sso okta \
    --okta-url "$OKTA_URL" --company-name "Kahvila Äimä Oy"
expect_exit 3 "kaisa's password sign-in" -- \
    sh -c "printf 'x\n' | '$BIN_DIR/bezala' --server '$SIM_URL' \
        --cacert '$CACERT' --home '$E2E_HOME' login --email '$KAISA' \
        --password-stdin"
err_has "Password sign-in is disabled for $COMPANY" "the server's words"
err_has "outside the company's SSO domain" "the ways through are named"
err_has "bezala login --sso google" "and the command that does it"
if grep -q "try again\$" "$E2E_TMP/err"; then
    fail "the SSO advice ends in 'try again': $(cat "$E2E_TMP/err")"
else
    pass "the SSO advice is the last word"
fi

expect_exit 2 "an unknown provider" -- sso x --sso facebook
err_has "google, microsoft or okta" "the providers are listed"
expect_exit 2 "Okta without its URL" -- sso demo-okta-kaisa --sso okta
err_has "--okta-url U and --company-name N" "says what Okta needs"
expect_exit 2 "--okta-url with Google" -- sso demo-google-kaisa --sso google \
    --okta-url "$OKTA_URL"
expect_exit 2 "--password-stdin with --sso" -- \
    sso demo-google-kaisa --sso google --password-stdin
expect_exit 2 "no token on standard input" -- \
    bz login --email "$KAISA" --sso google --sso-token-stdin

# --- The UI: advice in place, the server's words, the countdown ----------
rm -rf "$E2E_HOME"
ui_start 100 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "[Password]" "the method chooser starts on Password"
ui_text "$KAISA"
ui_keys Tab
ui_text wrong-password
ui_keys Enter
expect_screen "ask an administrator for an SSO exemption" \
    "the SSO advice is shown in place"
expect_screen "Password sign-in is disabled for Revontuli" \
    "with the server's text"
expect_screen "$KAISA" "the email is kept"
ui_keys F2
expect_screen "[Google]" "F2 chooses Google"
expect_screen "Access token" "the secret field asks for the access token"
sleep 1.1
ui_text wrong-token
ui_keys Enter
expect_screen "Google sign-in refused. The server said: The Google access \
token is not valid (HTTP 401)." "a wrong token: the server's words"
expect_screen "Wait 2 s before trying again." "the wait is shown"
expect_screen "$KAISA" "the email is still kept"
ui_text demo-google-kaisa
ui_keys Enter
sleep 0.3
expect_no_screen "Signing in" "Enter during the wait does not submit"
expect_screen "Access token  waiting" "the token field says that it waits"
expect_screen "Wait 1 s before trying again." "the wait counts down"
for ((i = 0; i < 30 * E2E_SLOW; i++)); do
    ui_screen | grep -qF "Wait " || break
    sleep 0.1
done
expect_no_screen "Wait " "the wait ends"
ui_keys Enter
expect_screen "Enter the access token from your provider." \
    "nothing typed during the wait was kept"
ui_text demo-google-kaisa
ui_keys Enter
expect_screen "Signed in as $KAISA." "the token typed after the wait signs in"
expect_screen "$COMPANY" "her company"
ui_keys q
expect_screen "[exited 0]" "q quits"
tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null
sleep 0.2

# Okta asks for its URL and company name in the form.
rm -rf "$E2E_HOME"
ui_start 100 30 "$BIN_DIR/bezala --server $SIM_URL --cacert $CACERT \
    --home $E2E_HOME"
expect_screen "[Password]" "the form again"
ui_keys BTab Left
expect_screen "[Okta]" "Left on the method row chooses Okta"
expect_screen "Okta URL" "Okta asks for its URL"
expect_screen "Company name" "and the company name"
ui_keys Tab
ui_text "$KAISA"
ui_keys Tab
ui_text demo-okta-kaisa
ui_keys Enter
expect_screen "Enter your company's Okta URL." "a missing field is named"
ui_text "$OKTA_URL"
ui_keys Tab
ui_text "$COMPANY"
ui_keys Enter
expect_screen "Signed in as $KAISA." "Okta sign-in from the form"
ui_keys q
tmux -S "$E2E_SOCKET" kill-session -t ui 2>/dev/null
sleep 0.2

# --- --demo: the SSO-only row chooses Google and leaves the token -------
ui_start 100 30 "$BIN_DIR/bezala --demo"
expect_screen "Demo accounts" "the demo accounts"
row=$(grep -v '^#' "$ASSETS/demo/accounts.tsv" | grep -n "^$KAISA" |
    cut -d: -f1)
ui_keys "$row"
expect_screen "[Google]" "the SSO-only demo row chooses Google"
expect_screen "Email         $KAISA" "and fills the email"
ui_text demo-google-kaisa
ui_keys Enter
expect_screen "Signed in as $KAISA." "the typed demo token signs in"
ui_keys q
expect_screen "[exited 0]" "the demo quits"

e2e_finish
