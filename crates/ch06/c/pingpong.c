/* Chapter 6 · The same ping-pong in C, to compare the Rust binding's cost.
 * Built by `ch06 pingpong` with mpicc into target/ch06/; prints the same
 * JSON lines as the Rust rank program. Usage: pingpong SIZES ITERS
 * (SIZES comma-separated bytes). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double round_trip(int rank, char *message, int bytes, int iters) {
    double *trips = malloc(sizeof(double) * (iters + 1));
    int kept = 0;
    int warm_up = iters / 10 > 5 ? iters / 10 : 5;
    for (int trip = 0; trip < warm_up + iters; trip++) {
        MPI_Barrier(MPI_COMM_WORLD);
        if (rank == 0) {
            double start = MPI_Wtime();
            MPI_Send(message, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(message, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            if (trip >= warm_up) trips[kept++] = MPI_Wtime() - start;
        } else if (rank == 1) {
            MPI_Recv(message, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            MPI_Send(message, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
    }
    qsort(trips, kept, sizeof(double), by_value);
    double median = kept ? trips[kept / 2] : 0.0;
    free(trips);
    return median;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const char *sizes = argc > 1 ? argv[1] : "8,1024,65536,1048576";
    int iters = argc > 2 ? atoi(argv[2]) : 2000;
    char *list = strdup(sizes);
    for (char *word = strtok(list, ","); word; word = strtok(NULL, ",")) {
        int bytes = atoi(word);
        int big = bytes > 1024 ? bytes : 1024;
        long want = (long)iters * 1024 / big;
        int most = iters > 50 ? iters : 50;
        int trips = want < 50 ? 50 : (want > most ? most : (int)want);
        char *message = malloc(bytes > 0 ? bytes : 1);
        memset(message, 7, bytes > 0 ? bytes : 1);
        double seconds = round_trip(rank, message, bytes, trips);
        if (rank == 0) {
            double latency_us = seconds / 2.0 * 1e6;
            double bandwidth = bytes / (seconds / 2.0) / 1e6;
            printf("{\"impl\":\"c\",\"bytes\":%d,\"iters\":%d,"
                   "\"latency_us\":%.3f,\"bandwidth_mb_s\":%.3f}\n",
                   bytes, trips, latency_us, bandwidth);
            fflush(stdout);
        }
        free(message);
    }
    free(list);
    MPI_Finalize();
    return 0;
}
