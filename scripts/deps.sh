# deps.sh -- sourced by setup.sh and test.sh: install the Debian packages the
# build and the tests need, only when one is missing (apt-get update first).
# (locales: the locale sources tests/py/test_locale.py builds de_DE.UTF-8 from.)
EDX_PACKAGES="meson ninja-build pkg-config gcc libc6-dev binutils libcjson-dev libpcre2-dev python3 python3-jsonschema time locales"

edx_install_deps() {
    local missing=""
    for p in $EDX_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "installing:$missing"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null || {
            echo "could not install:$missing" >&2
            return 1
        }
    fi
    return 0
}
