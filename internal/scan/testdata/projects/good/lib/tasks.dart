import 'package:workmanager/workmanager.dart';

const kSyncTask = 'dev.example.good.sync';
const kCleanupId = 'dev.example.good.cleanup';

class Tasks {
  static const report = 'report';
}

final _workmanager = Workmanager();

/// Forwards to the plugin: a wrapper.
Future<void> scheduleSync(Duration every) {
  return _workmanager.registerPeriodicTask(kSyncTask, kSyncTask,
      frequency: every,
      existingWorkPolicy: ExistingPeriodicWorkPolicy.update,
      backoffPolicy: BackoffPolicy.linear,
      backoffPolicyDelay: const Duration(seconds: 30));
}
