#!/usr/bin/env bash
# Tests of the ./yuanjian launcher's decisions, run against a copy of it in a scratch checkout with a
# stand-in JDK and Maven wrapper (shell scripts that record how they were called): which JDK it
# picks and remembers, when it rebuilds the jar and the AOT cache, which JVM options each command
# gets, and that a run needing no build starts exactly one process of the JDK.
# Usage: launcher-test.sh [path/to/yuanjian]; exit 0 when every check holds. LauncherTest runs it.
set -euo pipefail

LAUNCHER="$(readlink -f "${1:-$(dirname "${BASH_SOURCE[0]}")/../../../../yuanjian}")"
T="$(mktemp -d "${TMPDIR:-/tmp}/yuanjian-launcher-test.XXXXXX")"
trap 'rm -rf "$T"' EXIT
failures=0
check() { # check DESCRIPTION COMMAND...: runs COMMAND, reports DESCRIPTION when it fails
  local what="$1"; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

# A stand-in JDK: `java` appends its arguments to $T/java.calls; asked for an AOT cache it writes one
# (or fails when $T/fail-training exists); otherwise it prints the arguments it was run with.
make_jdk() { # make_jdk DIR JAVA_VERSION RUNTIME_VERSION
  mkdir -p "$1/bin"
  printf 'IMPLEMENTOR="Test"\nJAVA_VERSION="%s"\nJAVA_RUNTIME_VERSION="%s"\n' "$2" "$3" >"$1/release"
  cat >"$1/bin/java" <<JAVA
#!/usr/bin/env bash
echo "\$*" >>"$T/java.calls"
for a in "\$@"; do
  case "\$a" in
    -XX:AOTCacheOutput=*) [ -e "$T/fail-training" ] && exit 1; echo cache >"\${a#-XX:AOTCacheOutput=}"; exit 0;;
  esac
done
echo "ran: \$*"
JAVA
  printf '#!/bin/sh\nexit 0\n' >"$1/bin/javac"
  chmod +x "$1/bin/java" "$1/bin/javac"
}
make_jdk "$T/jdk25" 25.0.1 25.0.1+8
make_jdk "$T/jdk21" 21.0.4 21.0.4+7

ROOT="$T/checkout"
mkdir -p "$ROOT"/{core,server,cli}/src/main/java
touch "$ROOT/pom.xml" "$ROOT"/{core,server,cli}/pom.xml "$ROOT/cli/src/main/java/Main.java"
cp "$LAUNCHER" "$ROOT/yuanjian"
# The stand-in Maven wrapper: a build writes the jar and is counted in $T/builds.
cat >"$ROOT/mvnw" <<MVNW
#!/usr/bin/env bash
echo "\$*" >>"$T/builds"
if [ "\$*" != "\${*#*package}" ]; then mkdir -p "$ROOT/cli/target"; echo jar >"$ROOT/cli/target/yuanjian.jar"; fi
MVNW
chmod +x "$ROOT/mvnw"
# An old time for the inputs, so that "newer than the jar" is decided by the test alone.
touch -d '2020-01-01' "$ROOT/pom.xml" "$ROOT"/{core,server,cli}/pom.xml "$ROOT/cli/src/main/java/Main.java" \
  "$ROOT"/{core,server,cli}/src/main/java "$ROOT"/{core,server,cli}/src/main "$ROOT"/{core,server,cli}/src

run() { # run ARGS...: the launcher with the test JDK; stdout to $T/out, stderr to $T/err
  : >"$T/java.calls"
  (cd "$T" && JAVA_HOME="${TEST_JAVA_HOME:-$T/jdk25}" "$ROOT/yuanjian" "$@" >"$T/out" 2>"$T/err") \
    || echo "launcher exited $?: $(cat "$T/err")" >>"$T/out"
}
calls() { grep -c . "$T/java.calls" || true; }
builds() { [ -f "$T/builds" ] && grep -c package "$T/builds" || echo 0; }
ran_with() { grep -q -- "$1" "$T/out"; }

run verify f.png
check "first run builds the jar" [ "$(builds)" = 1 ]
check "first run trains the AOT cache once and then runs the command" [ "$(calls)" = 2 ]
check "the command gets the AOT cache" ran_with "-XX:AOTCache=$ROOT/cli/target/yuanjian.aot"
check "one-shot commands get the serial collector and a 2 GB heap" ran_with "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xmx2g"
check "JDK 24+ gets the Unsafe access flag" ran_with "--sun-misc-unsafe-memory-access=allow"
check "the arguments arrive last" ran_with "-jar $ROOT/cli/target/yuanjian.jar verify f.png"
check "the chosen JDK is remembered" grep -q "$T/jdk25" "$ROOT/cli/target/jdk.cache"

run verify f.png
check "a second run builds nothing and starts one JVM" [ "$(builds)/$(calls)" = "1/1" ]

AOT_FILE="$ROOT/cli/target/yuanjian.aot"
rm "$AOT_FILE"
run verify f.png
check "a deleted AOT cache is rebuilt (not the jar) and used" \
  bash -c "[ \"\$(grep -c . '$T/java.calls')\" = 2 ] && [ -s '$AOT_FILE' ] && grep -q AOTCache= '$T/out'"
run verify f.png
check "after the rebuild one JVM again" [ "$(builds)/$(calls)" = "1/1" ]

: >"$AOT_FILE"
run verify f.png
check "an emptied AOT cache is rebuilt" bash -c "[ \"\$(grep -c . '$T/java.calls')\" = 2 ] && [ -s '$AOT_FILE' ]"

echo corrupt >"$AOT_FILE"
touch -d "@$(( $(date +%s) + 10 ))" "$AOT_FILE"
run verify f.png
check "an AOT cache rewritten after its stamp is rebuilt" \
  bash -c "[ \"\$(grep -c . '$T/java.calls')\" = 2 ] && grep -qx cache '$AOT_FILE'"
run verify f.png
check "and then left alone" [ "$(builds)/$(calls)" = "1/1" ]

touch "$ROOT/cli/src/main/java/Main.java"
run verify f.png
check "an edited source rebuilds the jar and the cache" [ "$(builds)/$(calls)" = "2/2" ]

rm "$ROOT/cli/src/main/java/Main.java"
run verify f.png
check "a deleted source rebuilds the jar" [ "$(builds)" = 3 ]

touch "$ROOT/pom.xml"
run --version
check "an edited pom rebuilds the jar" [ "$(builds)" = 4 ]

make_jdk "$T/jdk25.new" 25.0.2 25.0.2+10
rm -rf "$T/jdk25" && mv "$T/jdk25.new" "$T/jdk25"
run verify f.png
check "an upgraded JDK (same place) gets a new AOT cache, the jar stays" [ "$(builds)/$(calls)" = "4/2" ]
check "the new JDK's version is remembered" grep -q "25.0.2+10" "$ROOT/cli/target/jdk.cache"

YUANJIAN_JAVA_OPTS="-Xmx300m -Dx=1" run serve
check "serve gets G1 and its own heap, then YUANJIAN_JAVA_OPTS" ran_with "-XX:+UseG1GC -Xmx1g -XX:AOTCache=.* -Xmx300m -Dx=1 -jar"
check "serve does not get the one-shot flags" bash -c "! grep -q UseSerialGC '$T/out'"

YUANJIAN_AOT=off run verify f.png
check "YUANJIAN_AOT=off runs without the cache" bash -c "! grep -q AOTCache '$T/out'"

TEST_JAVA_HOME="$T/jdk21" run verify f.png
check "JDK 21: no AOT cache, no Unsafe flag, one JVM" \
  bash -c "[ \"\$(grep -c . '$T/java.calls')\" = 1 ] && ! grep -q 'AOTCache\|sun-misc' '$T/out'"

touch "$T/fail-training" "$ROOT/cli/src/main/java"
run verify f.png
check "a failed training says so and the command still runs" \
  bash -c "grep -q 'could not be built' '$T/err' && grep -q '^ran: ' '$T/out' && ! grep -q AOTCache '$T/out'"
run verify f.png
check "a failed training is not retried until the jar changes" [ "$(calls)" = 1 ]
rm "$T/fail-training"

printf 'garbage\n' >"$ROOT/cli/target/jdk.cache"
run verify f.png
check "a damaged JDK cache is replaced" grep -q "$T/jdk25" "$ROOT/cli/target/jdk.cache"

run test -Dtest=Foo
check "test runs the Maven wrapper's tests" bash -c "tail -n1 '$T/builds' | grep -q -- '-B -ntp test -Dtest=Foo'"

echo "$failures failure(s)"
[ "$failures" = 0 ]
