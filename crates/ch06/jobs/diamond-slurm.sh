#!/bin/bash
# Chapter 6 · The diamond for Slurm, by hand: what `ch06 jobs dag` does.
A=$(sbatch --parsable --job-name=A diamond.sbatch)
B=$(sbatch --parsable --job-name=B --dependency=afterok:$A diamond.sbatch)
C=$(sbatch --parsable --job-name=C --dependency=afterok:$A diamond.sbatch)
D=$(sbatch --parsable --job-name=D --dependency=afterok:$B:$C diamond.sbatch)
