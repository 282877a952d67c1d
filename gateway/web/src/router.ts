import { createRouter, createWebHistory } from 'vue-router';
import { signedIn } from './session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/ledger' },
    { path: '/sign-in', component: () => import('./views/SignInView.vue'), meta: { open: true } },
    { path: '/public', component: () => import('./views/PublicBoard.vue'), meta: { open: true } },
    { path: '/ledger', component: () => import('./views/LedgerView.vue') },
    { path: '/issues/:id', component: () => import('./views/IssueView.vue'), props: true },
    { path: '/map', component: () => import('./views/MapView.vue') },
    { path: '/desk', component: () => import('./views/DeskView.vue') },
    { path: '/escalations', component: () => import('./views/EscalationsView.vue') },
    { path: '/stats', component: () => import('./views/StatsView.vue') },
    { path: '/cases', component: () => import('./views/CasesView.vue') },
    { path: '/cases/:id', component: () => import('./views/CaseView.vue'), props: true },
  ],
});

router.beforeEach((to) => {
  if (!to.meta.open && !signedIn.value) return { path: '/sign-in', query: { next: to.fullPath } };
  return true;
});
