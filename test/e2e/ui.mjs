export async function runUi() {}
