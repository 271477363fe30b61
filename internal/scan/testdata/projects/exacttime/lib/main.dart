import 'package:workmanager/workmanager.dart';
@pragma('vm:entry-point')
void callbackDispatcher() {
  Workmanager().executeTask((task, inputData) async => true);
}
void scheduleQuote() {
  final now = DateTime.now();
  var next = DateTime(now.year, now.month, now.day, 10);
  final delay = next.difference(now);
  Workmanager().registerOneOffTask('daily-quote-${now.millisecondsSinceEpoch}', 'quote', initialDelay: delay);
}
void main() {
  Workmanager().initialize(callbackDispatcher);
  scheduleQuote();
  Workmanager().registerPeriodicTask('prayer-fajr', 'prayerAlarm', frequency: Duration(hours: 24));
}
