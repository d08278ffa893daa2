#!/bin/bash
# Chapter 6 · The diamond for PBS: qsub prints the id, -W depend orders.
A=$(qsub -N A step.pbs)
B=$(qsub -N B -W depend=afterok:$A step.pbs)
C=$(qsub -N C -W depend=afterok:$A step.pbs)
D=$(qsub -N D -W depend=afterok:$B:$C step.pbs)
