export { ClusterPrimary, type ClusterPrimaryOptions, registerClusterPrimary } from './primary.js';
