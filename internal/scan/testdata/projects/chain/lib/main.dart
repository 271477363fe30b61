import 'package:workmanager/workmanager.dart';

const pollTask = 'poll';

@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async {
    switch (task) {
      case pollTask:
        // A chain of one-off tasks: each run schedules the next.
        await Workmanager().registerOneOffTask('poll-next', pollTask,
            initialDelay: const Duration(minutes: 30),
            existingWorkPolicy: ExistingWorkPolicy.replace);
        return true;
      default:
        return true;
    }
  });
}

Future<void> main() async {
  await Workmanager().initialize(callbackDispatcher);
  await Workmanager().registerOneOffTask('poll-first', pollTask);
}
