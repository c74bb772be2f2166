import { getState } from '../state.js';
import type { ClusterReadiness, WorkerStatus } from './leader.js';

// What the routes read about the cluster, through the shared state only: importing this
// loads nothing of the cluster machinery (the package entry stays light).

/** Workers' readiness when this process serves a cluster; undefined otherwise. */
export function clusterReadiness(): Promise<ClusterReadiness> | undefined {
  const f = getState().clusterReadiness as (() => Promise<ClusterReadiness>) | undefined;
  return f?.();
}

/** Every process of the cluster (this one first) when this process serves it; undefined otherwise. */
export function clusterWorkers(): WorkerStatus[] | undefined {
  const f = getState().clusterWorkers as (() => WorkerStatus[]) | undefined;
  return f?.();
}

export type { ClusterReadiness, WorkerStatus };
