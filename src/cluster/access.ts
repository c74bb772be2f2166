import { getState, type ClusterView } from '../state.js';
import type { ClusterReadiness, WorkerStatus } from './leader.js';

// What the routes read about the cluster, through the shared state only: importing this
// loads nothing of the cluster machinery (the package entry stays light).

/** The serving process of a cluster publishes what the routes show about its workers. */
export function setClusterView(view: ClusterView | undefined): void {
  getState().cluster.view = view;
}

/** Workers' readiness when this process serves a cluster; undefined otherwise. */
export function clusterReadiness(): Promise<ClusterReadiness> | undefined {
  return getState().cluster.view?.readiness();
}

/** Every process of the cluster (this one first) when this process serves it; undefined otherwise. */
export function clusterWorkers(): WorkerStatus[] | undefined {
  return getState().cluster.view?.workers();
}

export type { ClusterReadiness, WorkerStatus };
