// Runs a steady load in its own thread, so that receivers and servers living in the test
// process (mockotlpserver decoding protobuf, fault servers) never stall the latency clock.
import { parentPort, workerData } from 'node:worker_threads';
import { steadyLoad } from './lib.js';

const r = await steadyLoad(workerData.url, workerData.options);
parentPort.postMessage(r);
