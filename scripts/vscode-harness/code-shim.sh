#!/bin/sh
# A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }):
# runTests() spawns it with --extensionDevelopmentPath/--extensionTestsPath (plus electron flags,
# ignored) and the workspace; harness.mjs runs that in code-server and returns the suite's exit code.
# On a desktop with a real VS Code download, runTests() is used without this shim.
HERE=$(cd "$(dirname "$0")" && pwd)
exec "${PIXIE_HARNESS_NODE:-node}" "$HERE/harness.mjs" test "$@"
