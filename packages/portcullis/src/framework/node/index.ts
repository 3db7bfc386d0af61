export { createNodeHandler, serveNode, answerNodeError, verifyNodeSession, type NodeOutcome } from "./node-bridge.js";
export { NodeRequest, NodeResponse } from "./node-http.js";
