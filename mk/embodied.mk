# Embodied-emissions table (issue 14): its fuzz harness. `make check` builds
# the replayer (the pattern rule of mk/harden.mk) and
# tests/e2e/embodied_fuzz_replay.sh replays tests/fuzz/corpus/embodied_table;
# `make fuzz` also builds the libFuzzer binary build/fuzz/fuzz_embodied_table.
TEST_DEPS += build/fuzz/replay_embodied_table

fuzz: build/fuzz/fuzz_embodied_table
