# sacct reader (issue 14, `estimate --sacct`): its fuzz harness. `make check`
# builds build/fuzz/replay_sacct with the pattern rule of mk/harden.mk, and
# tests/e2e/sacct_fuzz_replay.sh replays tests/fuzz/corpus/sacct through it;
# `make fuzz` also builds the libFuzzer binary build/fuzz/fuzz_sacct.
TEST_DEPS += build/fuzz/replay_sacct

fuzz: build/fuzz/fuzz_sacct
