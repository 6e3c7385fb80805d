export { runLabVm, type LabVmRequest } from './run.js';
export { planLabVm, accelerationWords, type LabVmPlan, type LabVmPlace } from './plan.js';
