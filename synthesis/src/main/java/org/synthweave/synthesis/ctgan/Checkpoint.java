package org.synthweave.synthesis.ctgan;

import java.util.Optional;

/** Where a training run keeps its last finished epoch, to resume after a crash. */
public interface Checkpoint {
  /** A saved state and the number of epochs it has finished. */
  record Saved(ParamState state, int epochsDone) {}

  Optional<Saved> latest();

  void save(ParamState state, int epochsDone);

  /** A checkpoint that keeps nothing. */
  Checkpoint NONE =
      new Checkpoint() {
        @Override
        public Optional<Saved> latest() {
          return Optional.empty();
        }

        @Override
        public void save(ParamState state, int epochsDone) {}
      };
}
