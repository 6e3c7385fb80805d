import { useReducer } from 'react';
import type { VerifyDocument, VerifyStatus } from '../../report/index.js';
import type { CheckResult, CheckStatus } from '../../verify/index.js';
import type { RunSource } from '../../workbook/index.js';
import { judgedAnswer } from '../answers.js';

/** `verify` records every run; `watch` re-runs every check as the learner works and records only a pass. */
export type VerifySource = RunSource;

export interface CheckRow {
  id: string;
  title: string;
  status: 'running' | CheckStatus;
  message?: string;
  hint?: string | null;
  /** For a live-quiz check, the answer it judged: a later answer is not judged by this row. */
  answer?: string | null;
}

export interface VerifyState {
  phase: 'idle' | 'running' | 'finished';
  source: VerifySource;
  checks: CheckRow[];
  outcome?: { status: VerifyStatus; passed: number; total: number; lockedReasons: string[] };
  /** A run that could not complete (the checker failed to load, the store could not be written…). */
  error?: string;
  /** Completed runs: watch shows it, so the learner sees the checks are being re-run. */
  runs: number;
}

export type VerifyAction =
  | { type: 'start'; source: VerifySource }
  | { type: 'check-start'; id: string; title: string }
  | { type: 'check-end'; result: CheckResult }
  | { type: 'finish'; document: VerifyDocument }
  /** The run was cancelled (a newer change, a verify, watch turned off): what was shown before stays. */
  | { type: 'cancel' }
  | { type: 'crash'; message: string };

export const initialVerifyState: VerifyState = { phase: 'idle', source: 'verify', checks: [], runs: 0 };

export function verifyReducer(state: VerifyState, action: VerifyAction): VerifyState {
  switch (action.type) {
    case 'start':
      // Watch keeps the last results on screen (a verify's too) and updates them in place: no flicker at every
      // re-run, and a verify's result stays until a newer one replaces it.
      return {
        ...state,
        phase: 'running',
        source: action.source,
        checks: action.source === 'watch' ? state.checks : [],
        outcome: action.source === 'watch' ? state.outcome : undefined,
        error: undefined,
      };
    case 'check-start': {
      if (state.checks.some((check) => check.id === action.id)) {
        return state.source === 'watch' ? state : replace(state, { id: action.id, title: action.title, status: 'running' });
      }
      return { ...state, checks: [...state.checks, { id: action.id, title: action.title, status: 'running' }] };
    }
    case 'check-end': {
      const { result } = action;
      const row: CheckRow = { id: result.id, title: result.title, status: result.status, message: result.message, hint: result.hint, answer: judgedAnswer(result.observed) };
      return state.checks.some((check) => check.id === result.id) ? replace(state, row) : { ...state, checks: [...state.checks, row] };
    }
    case 'finish': {
      const { document } = action;
      const checks: CheckRow[] = document.checks.map((check) => ({
        id: check.id,
        title: check.title,
        status: check.status,
        message: check.message,
        hint: check.hint,
        answer: judgedAnswer(check.observed),
      }));
      const passed = checks.filter((check) => check.status === 'pass').length;
      return {
        ...state,
        phase: 'finished',
        checks,
        outcome: { status: document.status, passed, total: checks.length, lockedReasons: document.lockedReasons ?? [] },
        runs: state.runs + 1,
      };
    }
    case 'cancel': {
      const checks = state.checks.filter((check) => check.status !== 'running');
      return { ...state, phase: state.outcome || state.error ? 'finished' : 'idle', checks };
    }
    case 'crash':
      return { ...state, phase: 'finished', error: action.message, runs: state.runs + 1 };
  }
}

function replace(state: VerifyState, row: CheckRow): VerifyState {
  return { ...state, checks: state.checks.map((check) => (check.id === row.id ? row : check)) };
}

export function useVerifyState() {
  return useReducer(verifyReducer, initialVerifyState);
}
